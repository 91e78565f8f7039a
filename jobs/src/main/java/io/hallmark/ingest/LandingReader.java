package io.hallmark.ingest;

import io.hallmark.config.PiiKey;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Runs on executors: opens one landing file through Hadoop's FileSystem (local, HDFS, S3A, ...),
 * gunzips {@code .gz} through the codec factory, and streams its lines, each validated on the spot
 * (so raw personal data never becomes a Spark column), followed by one summary row with the
 * file's SHA-256 (of its bytes as stored) and line count. Output rows follow the file's table's
 * {@link IngestSchemas#lineSchema}: a Dataset read through it holds the files of one table.
 */
public final class LandingReader implements FlatMapFunction<Row, Row> {
  private final Broadcast<HadoopConf> hadoopConf;
  private final LineValidator validator;
  // built once per task deserialisation, not per file (it scans the codec classes)
  private transient CompressionCodecFactory codecs;

  public LandingReader(Broadcast<HadoopConf> hadoopConf, PiiKey pii) {
    this.hadoopConf = hadoopConf;
    this.validator = new LineValidator(pii);
  }

  @Override
  public Iterator<Row> call(Row file) throws IOException {
    String table = file.getString(file.fieldIndex("table_name"));
    String sourceFile = file.getString(file.fieldIndex("source_file"));
    return new LineIterator(table, sourceFile, open(file.getString(file.fieldIndex("path"))));
  }

  /** The file's lines, read through Hadoop's FileSystem, gunzipped when its name says so, its stored bytes hashed. */
  private Lines open(String pathText) throws IOException {
    Path path = new Path(pathText);
    Configuration conf = hadoopConf.value().get();
    FileSystem fs = path.getFileSystem(conf);
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    DigestInputStream stored = new DigestInputStream(fs.open(path), digest);
    if (codecs == null) {
      codecs = new CompressionCodecFactory(conf);
    }
    CompressionCodec codec = codecs.getCodec(path);
    return new Lines(stored, codec == null ? stored : codec.createInputStream(stored));
  }

  /**
   * The quarantine text of chosen lines, read again from their files: valid lines carry no quarantine
   * text through the batch (most of a batch's memory), so the few that a conflicting duplicate
   * rejects get it here, computed as for any rejected line. Input rows: (table_name, source_file,
   * path, file_sha256, line_numbers); output rows follow {@link IngestSchemas#QUARANTINE_TEXT_SCHEMA}.
   * A file whose bytes no longer hash as they did when the batch read them fails the task.
   */
  public static final class QuarantineTexts implements FlatMapFunction<Row, Row> {
    private final LandingReader reader;

    public QuarantineTexts(Broadcast<HadoopConf> hadoopConf, PiiKey pii) {
      this.reader = new LandingReader(hadoopConf, pii);
    }

    @Override
    public Iterator<Row> call(Row file) throws IOException {
      String table = file.getString(0);
      String sourceFile = file.getString(1);
      String sha256 = file.getString(3);
      java.util.Set<Long> wanted = new java.util.HashSet<>(file.getList(4));
      java.util.List<Row> texts = new java.util.ArrayList<>();
      Lines lines = reader.open(file.getString(2));
      try {
        while (lines.next()) {
          if (wanted.contains(lines.number())) {
            texts.add(RowFactory.create(table, sourceFile, lines.number(),
                reader.validator.validate(table, lines.text(), lines.validUtf8()).quarantineText()));
          }
        }
      } finally {
        lines.close();
      }
      if (!lines.sha256().equals(sha256)) {
        throw new IllegalStateException("landing file " + sourceFile + " changed while ingest was reading it"
            + " (its SHA-256 differs between two reads): deliver new files instead of rewriting ingested ones, then rerun ingest");
      }
      return texts.iterator();
    }
  }

  /**
   * One file's lines as text: without terminators (\n or \r\n), a UTF-8 byte order mark dropped from
   * the first, and whether each is valid UTF-8. A last line without a final newline still counts.
   */
  private static final class Lines {
    private final DigestInputStream stored;
    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    // read buffer, and the current line's bytes (grown as needed, reused from line to line)
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1024];
    private int lineLength;
    private long number;
    private String text;
    private boolean validUtf8;

    Lines(DigestInputStream stored, InputStream in) {
      this.stored = stored;
      this.in = in;
    }

    long number() {
      return number;
    }

    String text() {
      return text;
    }

    boolean validUtf8() {
      return validUtf8;
    }

    /** Moves to the next line; false at the end of the content. */
    boolean next() throws IOException {
      lineLength = 0;
      boolean any = false;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer, 0, buffer.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            break;
          }
        }
        any = true;
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        append(start, position - start);
        if (position < limit) {
          position++; // the newline
          break;
        }
      }
      if (!any) {
        return false;
      }
      if (lineLength > 0 && line[lineLength - 1] == '\r') {
        lineLength--;
      }
      number++;
      decode();
      return true;
    }

    private void append(int from, int count) {
      if (lineLength + count > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
      }
      System.arraycopy(buffer, from, line, lineLength, count);
      lineLength += count;
    }

    private void decode() {
      int offset = 0;
      if (number == 1 && lineLength >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
          && (line[2] & 0xff) == 0xBF) {
        offset = 3; // UTF-8 byte order mark
      }
      int length = lineLength - offset;
      boolean ascii = true;
      for (int i = offset; i < lineLength; i++) {
        if (line[i] < 0) {
          ascii = false;
          break;
        }
      }
      validUtf8 = true;
      if (ascii) {
        text = new String(line, offset, length, StandardCharsets.ISO_8859_1); // the same chars, without decoding
        return;
      }
      try {
        text = utf8.reset().decode(ByteBuffer.wrap(line, offset, length)).toString();
      } catch (CharacterCodingException e) {
        validUtf8 = false;
        text = new String(line, offset, length, StandardCharsets.UTF_8);
      }
    }

    /** Reads whatever bytes follow the content (a gzip trailer), closes, and gives the stored bytes' SHA-256. */
    String sha256() {
      return HexFormat.of().formatHex(stored.getMessageDigest().digest());
    }

    void close() throws IOException {
      byte[] skip = new byte[8192];
      while (stored.read(skip) >= 0) {
        // drain, so the digest covers every stored byte
      }
      in.close();
    }
  }

  /** Lazy: a file of any size streams through without being held in memory. */
  private final class LineIterator implements Iterator<Row> {
    private final String table;
    private final String sourceFile;
    private final Lines lines;
    private final int[] columns;
    private Row next;
    private boolean done;

    LineIterator(String table, String sourceFile, Lines lines) {
      this.table = table;
      this.sourceFile = sourceFile;
      this.lines = lines;
      this.columns = IngestSchemas.lineColumns(table);
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        try {
          next = advance();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read landing file " + sourceFile, e);
        }
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }

    private Row advance() throws IOException {
      if (lines.next()) {
        return lineRow();
      }
      lines.close();
      done = true;
      return summaryRow(lines.sha256());
    }

    private Object[] newRow() {
      Object[] values = new Object[IngestSchemas.LINE_SCHEMA.size()];
      values[0] = table;
      values[1] = sourceFile;
      values[2] = lines.number();
      return values;
    }

    private Row lineRow() {
      Object[] values = newRow();
      int year = lines.validUtf8() ? validator.validInto(table, lines.text(), values) : -1;
      if (year >= 0) {
        values[7] = year == 0 ? null : year; // valid: no reason, and no quarantine text unless a conflict needs it
        return narrow(values);
      }
      // not cleared by the fast path: the exact validator decides, on a clean row
      values = newRow();
      LineValidator.Result result = validator.validate(table, lines.text(), lines.validUtf8());
      if (result.valid()) {
        values[7] = result.eventYear();
        for (Map.Entry<String, Object> e : result.values().entrySet()) {
          values[IngestSchemas.LINE_SCHEMA.fieldIndex(e.getKey())] = e.getValue();
        }
      } else {
        values[3] = result.reason();
        values[4] = result.quarantineText();
      }
      return narrow(values);
    }

    private Row summaryRow(String sha256) {
      Object[] values = new Object[IngestSchemas.LINE_SCHEMA.size()];
      values[0] = table;
      values[1] = sourceFile;
      values[2] = 0L;
      values[5] = sha256;
      values[6] = lines.number();
      return narrow(values);
    }

    /** The row in the table's own line schema ({@link IngestSchemas#lineSchema}). */
    private Row narrow(Object[] wide) {
      Object[] values = new Object[columns.length];
      for (int i = 0; i < columns.length; i++) {
        values[i] = wide[columns[i]];
      }
      return RowFactory.create(values);
    }
  }

  /** Hadoop settings (credentials, file-system implementations) shipped to executors. */
  public static final class HadoopConf implements Serializable {
    private transient Configuration conf;

    public HadoopConf(Configuration conf) {
      this.conf = conf;
    }

    public Configuration get() {
      return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      conf.write(new DataOutputStream(bytes));
      out.writeInt(bytes.size());
      out.write(bytes.toByteArray());
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      conf = new Configuration(false);
      conf.readFields(new DataInputStream(new java.io.ByteArrayInputStream(bytes)));
    }
  }
}
