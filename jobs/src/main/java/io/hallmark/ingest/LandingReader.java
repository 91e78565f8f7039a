package io.hallmark.ingest;

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
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * file's SHA-256 (of its bytes as stored) and line count. Output rows follow
 * {@link IngestSchemas#LINE_SCHEMA}.
 */
public final class LandingReader implements FlatMapFunction<Row, Row> {
  private final Broadcast<HadoopConf> hadoopConf;
  private final LineValidator validator;

  public LandingReader(Broadcast<HadoopConf> hadoopConf, PiiKey pii) {
    this.hadoopConf = hadoopConf;
    this.validator = new LineValidator(pii);
  }

  @Override
  public Iterator<Row> call(Row file) throws IOException {
    String table = file.getString(file.fieldIndex("table_name"));
    String sourceFile = file.getString(file.fieldIndex("source_file"));
    Path path = new Path(file.getString(file.fieldIndex("path")));
    Configuration conf = hadoopConf.value().get();
    FileSystem fs = path.getFileSystem(conf);
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    DigestInputStream stored = new DigestInputStream(fs.open(path), digest);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    InputStream content = codec == null ? stored : codec.createInputStream(stored);
    return new LineIterator(table, sourceFile, stored, new java.io.BufferedInputStream(content, 1 << 16));
  }

  /** Lazy: a file of any size streams through without being held in memory. */
  private final class LineIterator implements Iterator<Row> {
    private final String table;
    private final String sourceFile;
    private final DigestInputStream stored;
    private final InputStream in;
    private long lineNumber = 0;
    private Row next;
    private boolean done;

    LineIterator(String table, String sourceFile, DigestInputStream stored, InputStream in) {
      this.table = table;
      this.sourceFile = sourceFile;
      this.stored = stored;
      this.in = in;
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
      byte[] line = readLine();
      if (line != null) {
        lineNumber++;
        return lineRow(line);
      }
      // end of content: hash whatever bytes follow (a gzip trailer), then the summary row
      byte[] skip = new byte[8192];
      while (stored.read(skip) >= 0) {
        // drain
      }
      in.close();
      done = true;
      String sha256 = HexFormat.of().formatHex(stored.getMessageDigest().digest());
      return summaryRow(sha256);
    }

    /** The next line's bytes without its line terminator (\n or \r\n), or null at the end. */
    private byte[] readLine() throws IOException {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
      int b;
      boolean any = false;
      while ((b = in.read()) >= 0) {
        any = true;
        if (b == '\n') {
          break;
        }
        buffer.write(b);
      }
      if (!any) {
        return null;
      }
      byte[] bytes = buffer.toByteArray();
      if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
      }
      return bytes;
    }

    private Row lineRow(byte[] bytes) {
      if (lineNumber == 1 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
          && (bytes[2] & 0xff) == 0xBF) {
        bytes = java.util.Arrays.copyOfRange(bytes, 3, bytes.length); // UTF-8 byte order mark
      }
      String text;
      boolean validUtf8 = true;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        validUtf8 = false;
        text = new String(bytes, StandardCharsets.UTF_8);
      }
      LineValidator.Result result = validator.validate(table, text, validUtf8);
      Object[] values = new Object[IngestSchemas.LINE_SCHEMA.size()];
      values[0] = table;
      values[1] = sourceFile;
      values[2] = lineNumber;
      values[3] = result.reason();
      values[4] = result.quarantineText();
      values[7] = result.eventYear();
      if (result.valid()) {
        for (Map.Entry<String, Object> e : result.values().entrySet()) {
          values[IngestSchemas.LINE_SCHEMA.fieldIndex(e.getKey())] = e.getValue();
        }
      }
      return RowFactory.create(values);
    }

    private Row summaryRow(String sha256) {
      Object[] values = new Object[IngestSchemas.LINE_SCHEMA.size()];
      values[0] = table;
      values[1] = sourceFile;
      values[2] = 0L;
      values[5] = sha256;
      values[6] = lineNumber;
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
