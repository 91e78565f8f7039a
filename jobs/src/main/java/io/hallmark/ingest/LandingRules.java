package io.hallmark.ingest;

import io.hallmark.lake.BronzeSchemas;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The landing contract's field rules, one list per table, in the contract's field order. The order
 * matters: validation reports the first failing field in this order (see {@link LineValidator}).
 */
public final class LandingRules {
  private LandingRules() {}

  /** How a field's JSON value is checked and typed. */
  public enum Kind {
    /** non-empty JSON string of at most 128 characters */
    ID,
    /** any JSON string (free text, opaque fingerprints) */
    TEXT,
    /** one of the listed upper-case words */
    ENUM,
    /** two upper-case letters (country, marketplace) */
    CODE2,
    /** ISO-8601 string with an explicit offset, stored as a UTC instant */
    TIMESTAMP,
    /** JSON number >= 0 */
    MONEY,
    /** JSON integer >= 1 */
    QUANTITY,
    /** JSON true/false */
    BOOLEAN,
    /** personal data: any JSON string, stored only as its HMAC in column {@code <name>_hash} */
    PERSONAL
  }

  /**
   * @param requiredFor null = always required; empty = optional; otherwise required when the
   *     record's event_type is one of these
   * @param defaultValue value stored when the field is absent or null (contract defaults)
   */
  public record Field(String name, Kind kind, Set<String> allowed, Set<String> requiredFor, Object defaultValue)
      implements Serializable {
    public boolean requiredFor(String eventType) {
      return requiredFor == null || (eventType != null && requiredFor.contains(eventType));
    }

    /** Column of the bronze table (personal fields are stored hashed under another name). */
    public String column() {
      return kind == Kind.PERSONAL ? name + "_hash" : name;
    }
  }

  private static final Set<String> ALWAYS = null;
  private static final Set<String> OPTIONAL = Set.of();

  private static Field req(String name, Kind kind) {
    return new Field(name, kind, Set.of(), ALWAYS, null);
  }

  private static Field opt(String name, Kind kind) {
    return new Field(name, kind, Set.of(), OPTIONAL, null);
  }

  private static Field reqEnum(String name, String... values) {
    return new Field(name, Kind.ENUM, Set.of(values), ALWAYS, null);
  }

  private static Field when(String name, Kind kind, Set<String> allowed, String... eventTypes) {
    return new Field(name, kind, allowed, Set.of(eventTypes), null);
  }

  public static final Map<String, List<Field>> FIELDS = Map.of(
      BronzeSchemas.ACCOUNT_EVENTS, List.of(
          req("event_id", Kind.ID),
          req("account_id", Kind.ID),
          reqEnum("event_type", "REGISTERED", "VERIFIED", "BLOCKED", "REINSTATED", "CLOSED"),
          req("event_time", Kind.TIMESTAMP),
          when("marketplace", Kind.CODE2, Set.of(), "REGISTERED"),
          opt("country", Kind.CODE2),
          opt("email", Kind.PERSONAL),
          opt("phone", Kind.PERSONAL),
          opt("payment_fingerprint", Kind.TEXT),
          opt("device_fingerprint", Kind.TEXT),
          opt("address_fingerprint", Kind.TEXT),
          when("reason", Kind.ENUM, Set.of("COUNTERFEIT", "FRAUD", "IDENTITY", "RELATED_ACCOUNT", "POLICY"), "BLOCKED")),
      BronzeSchemas.LISTING_EVENTS, List.of(
          req("event_id", Kind.ID),
          req("listing_id", Kind.ID),
          req("seller_id", Kind.ID),
          reqEnum("event_type", "SUBMISSION_BLOCKED", "CREATED", "UPDATED", "BLOCKED", "REMOVED", "REINSTATED"),
          req("event_time", Kind.TIMESTAMP),
          when("product_id", Kind.ID, Set.of(), "CREATED"),
          // brand references brands.brand, so it follows the id rule (null or absent = unbranded)
          opt("brand", Kind.ID),
          opt("category", Kind.TEXT),
          when("price_usd", Kind.MONEY, Set.of(), "CREATED"),
          opt("ship_from_country", Kind.CODE2),
          when("block_reason", Kind.ENUM, Set.of("COUNTERFEIT", "TRADEMARK", "SAFETY", "POLICY"),
              "BLOCKED", "SUBMISSION_BLOCKED")),
      BronzeSchemas.ORDERS, List.of(
          req("order_id", Kind.ID),
          req("listing_id", Kind.ID),
          req("seller_id", Kind.ID),
          req("order_time", Kind.TIMESTAMP),
          req("quantity", Kind.QUANTITY),
          req("unit_price_usd", Kind.MONEY),
          new Field("referral_source", Kind.ENUM,
              Set.of("SEARCH", "DIRECT", "INSTAGRAM", "TIKTOK", "YOUTUBE", "EXTERNAL_SITE"), OPTIONAL, "DIRECT"),
          opt("referral_tag", Kind.TEXT)),
      BronzeSchemas.COMPLAINTS, List.of(
          req("complaint_id", Kind.ID),
          req("order_id", Kind.ID),
          req("complaint_time", Kind.TIMESTAMP),
          reqEnum("complaint_type", "COUNTERFEIT", "NOT_AS_DESCRIBED", "DAMAGED", "OTHER")),
      BronzeSchemas.NOTICES, List.of(
          req("notice_id", Kind.ID),
          req("brand", Kind.ID),
          req("listing_id", Kind.ID),
          reqEnum("notice_type", "COUNTERFEIT", "TRADEMARK", "COPYRIGHT", "PATENT"),
          req("submitted_at", Kind.TIMESTAMP),
          reqEnum("outcome", "VALID", "INVALID", "PENDING"),
          opt("resolved_at", Kind.TIMESTAMP)),
      BronzeSchemas.BRANDS, List.of(
          req("brand", Kind.ID),
          req("enrolled_at", Kind.TIMESTAMP),
          new Field("luxury", Kind.BOOLEAN, Set.of(), OPTIONAL, Boolean.FALSE)),
      BronzeSchemas.CATALOG, List.of(
          req("product_id", Kind.ID),
          opt("brand", Kind.ID),
          opt("reference_price_usd", Kind.MONEY)),
      BronzeSchemas.AUTHORIZATIONS, List.of(
          req("brand", Kind.ID),
          req("seller_id", Kind.ID),
          req("valid_from", Kind.TIMESTAMP),
          opt("valid_to", Kind.TIMESTAMP)));

  /** The timestamp whose UTC year is the partition column {@code event_year} (event tables only). */
  public static final Map<String, String> EVENT_TIME = Map.of(
      BronzeSchemas.ACCOUNT_EVENTS, "event_time",
      BronzeSchemas.LISTING_EVENTS, "event_time",
      BronzeSchemas.ORDERS, "order_time",
      BronzeSchemas.COMPLAINTS, "complaint_time",
      BronzeSchemas.NOTICES, "submitted_at");
}
