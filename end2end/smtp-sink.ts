import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A small SMTP server for the end-to-end tests: the platform under test delivers its mail
 * here over a real socket (`NAD_SMTP_URL=smtp://127.0.0.1:2525`), and each mail lands as a
 * JSON file `{ to, data }` in `dir`, where the tests read it (`mailTo` in tests/support.ts).
 * It speaks just enough SMTP for a real client: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
 */
export function startSmtpSink(port: number, dir: string): Promise<net.Server> {
  fs.mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let data = '';
    let to: string[] = [];
    const handle = (line: string) => {
      if (inData) {
        if (line === '.') {
          inData = false;
          count += 1;
          const file = path.join(dir, `${Date.now()}-${String(count).padStart(5, '0')}.json`);
          fs.writeFileSync(file, JSON.stringify({ to, data }));
          data = '';
          to = [];
          socket.write('250 2.0.0 Queued\r\n');
        } else {
          data += (line.startsWith('..') ? line.slice(1) : line) + '\r\n';
        }
        return;
      }
      const command = line.toUpperCase();
      if (command.startsWith('EHLO') || command.startsWith('HELO')) {
        socket.write('250-sink.test\r\n250 8BITMIME\r\n');
      } else if (command.startsWith('MAIL FROM')) {
        socket.write('250 2.1.0 OK\r\n');
      } else if (command.startsWith('RCPT TO')) {
        to.push(line.slice(8).trim().replace(/[<>]/g, ''));
        socket.write('250 2.1.5 OK\r\n');
      } else if (command === 'DATA') {
        inData = true;
        socket.write('354 Go ahead\r\n');
      } else if (command === 'QUIT') {
        socket.end('221 2.0.0 Bye\r\n');
      } else if (command === 'RSET' || command === 'NOOP') {
        socket.write('250 2.0.0 OK\r\n');
      } else {
        socket.write('502 5.5.2 Not implemented\r\n');
      }
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        handle(line);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.write('220 sink.test ESMTP\r\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
