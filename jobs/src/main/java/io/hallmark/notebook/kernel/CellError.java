package io.hallmark.notebook.kernel;

/**
 * A cell that did not run: code the compiler rejected, or an exception thrown by a snippet. Its
 * message says which snippet of the cell and why (Jupyter shows it as the cell's error, nbclient
 * raises it); for an exception, the stack trace is the snippet's.
 */
public final class CellError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CellError(String message) {
    super(message);
  }

  CellError(String message, StackTraceElement[] trace, Throwable cause) {
    super(message, cause);
    if (trace != null) {
      setStackTrace(trace);
    }
  }
}
