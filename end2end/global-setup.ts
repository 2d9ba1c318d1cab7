import type { FullConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSmtpSink } from './smtp-sink';

/**
 * Starts the SMTP sink the server delivers its mail to (port `NAD_E2E_SMTP_PORT`, 2525 by
 * default: run the server with `NAD_SMTP_URL=smtp://127.0.0.1:2525`), and waits until the
 * server answers `GET /healthz` with 200: `cargo leptos end-to-end` starts the tests right
 * after it spawns the server, before the database is migrated and seeded. Returns the
 * teardown that stops the sink.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const port = Number(process.env.NAD_E2E_SMTP_PORT ?? '2525');
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nad-e2e-mail-'));
  const sink = await startSmtpSink(port, mailDir).catch((error: Error) => {
    throw new Error(`The SMTP sink can't listen on 127.0.0.1:${port}: ${error.message}`);
  });
  // The tests (in worker processes) read the mail from here.
  process.env.NAD_E2E_MAIL_DIR = mailDir;
  const teardown = async () => {
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    fs.rmSync(mailDir, { recursive: true, force: true });
  };
  const baseURL =
    config.projects[0]?.use?.baseURL ?? process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  const url = new URL('/healthz', baseURL).toString();
  const deadline = Date.now() + 60_000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return teardown;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await teardown();
  throw new Error(`The server at ${baseURL} did not become healthy within 60 s (${url}: ${last}).`);
}
