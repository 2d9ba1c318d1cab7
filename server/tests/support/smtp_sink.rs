//! A small SMTP server for tests: it speaks enough SMTP for a real client (lettre) to
//! deliver to it over a real socket on 127.0.0.1, keeps what it receives, and can be told to
//! refuse for a while (4xx), refuse for good (5xx) or hang up in the middle of a mail.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    Accept = 0,
    /// `451` to every MAIL FROM: try again later.
    RefuseForNow = 1,
    /// `550` to every RCPT TO: this recipient does not exist.
    RefuseForGood = 2,
    /// Closes the connection after DATA, before the mail is complete.
    HangUpMidMail = 3,
}

/// One mail as it arrived.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: String,
    /// The message as sent after DATA (headers and body).
    pub data: String,
}

pub struct SmtpSink {
    pub port: u16,
    mode: Arc<AtomicU8>,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("sink binds");
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(AtomicU8::new(Mode::Accept as u8));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (task_mode, task_received) = (Arc::clone(&mode), Arc::clone(&received));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (mode, received) = (Arc::clone(&task_mode), Arc::clone(&task_received));
                tokio::spawn(async move {
                    let _ = serve(stream, mode, received).await;
                });
            }
        });
        SmtpSink {
            port,
            mode,
            received,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_mode(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    stream: tokio::net::TcpStream,
    mode: Arc<AtomicU8>,
    received: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader);
    writer.write_all(b"220 sink.test ESMTP\r\n").await?;
    let mut to = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let mode = mode.load(Ordering::SeqCst);
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250-sink.test\r\n250 8BITMIME\r\n"
        } else if command.starts_with("MAIL FROM") {
            if mode == Mode::RefuseForNow as u8 {
                b"451 4.3.0 Tijdelijk niet beschikbaar\r\n"
            } else {
                b"250 2.1.0 OK\r\n"
            }
        } else if command.starts_with("RCPT TO") {
            if mode == Mode::RefuseForGood as u8 {
                b"550 5.1.1 Onbekende ontvanger\r\n"
            } else {
                to = line.trim_end()[8..]
                    .trim()
                    .trim_matches(['<', '>'])
                    .to_string();
                b"250 2.1.5 OK\r\n"
            }
        } else if command == "DATA" {
            if mode == Mode::HangUpMidMail as u8 {
                writer.write_all(b"354 Go ahead\r\n").await?;
                return Ok(()); // gone before the mail is complete
            }
            writer.write_all(b"354 Go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(&line);
            }
            received.lock().unwrap().push(Received {
                to: to.clone(),
                data,
            });
            b"250 2.0.0 Queued\r\n"
        } else if command == "QUIT" {
            writer.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else if command == "RSET" || command == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else {
            b"502 5.5.2 Not implemented\r\n"
        };
        writer.write_all(reply).await?;
    }
}
