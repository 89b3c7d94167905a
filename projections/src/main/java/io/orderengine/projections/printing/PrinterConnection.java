package io.orderengine.projections.printing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Raw TCP to a network printer (port 9100, "JetDirect"): connect, write the job, flush, close. */
final class PrinterConnection {
  private PrinterConnection() {}

  /** Returns once every byte is written and flushed to the printer's socket; throws if not. */
  static void send(String host, int port, byte[] job, Duration connectTimeout, Duration readTimeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout((int) readTimeout.toMillis());
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(job);
      out.flush();
      socket.shutdownOutput(); // the printer sees the job end; a reset on close would surface here
    }
  }
}
