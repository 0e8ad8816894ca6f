//! The real binary in tmux: keys sent with `send-keys`, the screen read with `capture-pane`, the
//! clipboard read from tmux's paste buffer (`set-clipboard on` stores OSC 52 there). Skipped,
//! with a message, when tmux is not installed.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    _conf: tempfile::NamedTempFile,
}

impl Tmux {
    /// Starts strata in a detached session of a private tmux server.
    fn start(args: &[&str], width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("SKIPPED: tmux is not installed; the end-to-end TUI tests need it");
            return None;
        }
        let conf = tempfile::NamedTempFile::new().ok()?;
        std::fs::write(
            conf.path(),
            "set -g set-clipboard on\nset -g remain-on-exit on\nset -g default-terminal tmux-256color\n",
        )
        .ok()?;
        let socket = format!("strata-e2e-{}-{}", std::process::id(), args.join("").len());
        let bin = env!("CARGO_BIN_EXE_strata");
        let command = std::iter::once(bin.to_string())
            .chain(args.iter().map(|a| a.to_string()))
            .collect::<Vec<_>>()
            .join(" ");
        let t = Tmux {
            socket,
            _conf: conf,
        };
        let conf_path = t._conf.path().to_string_lossy().to_string();
        let out = Command::new("tmux")
            .args([
                "-L",
                &t.socket,
                "-f",
                &conf_path,
                "new-session",
                "-d",
                "-s",
                "e2e",
            ])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg(format!("env NO_COLOR=1 {command}"))
            .output()
            .ok()?;
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(t)
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("tmux {args:?}: {e}"))
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "e2e", k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", text]);
        std::thread::sleep(Duration::from_millis(100));
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    /// Polls the screen until `pred` holds (10 s at most).
    fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for(&self, needle: &str) -> String {
        self.wait(needle, |s| s.contains(needle))
    }

    /// Waits for every needle on one screen: a frame may reach tmux in more than one write.
    fn wait_for_all(&self, needles: &[&str]) -> String {
        self.wait(&needles.join(" + "), |s| {
            needles.iter().all(|n| s.contains(n))
        })
    }

    fn buffer(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["show-buffer"]).stdout).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

#[test]
fn investigate_in_tmux() {
    let Some(t) = Tmux::start(&["--clipboard", "osc52", "tests/tui/fixtures"], 100, 30) else {
        return;
    };
    // Loads in the background, then alerts (or the reason there are none) appear.
    let s = t.wait("detection to finish", |s| {
        s.contains("rules evaluated")
            || s.contains("not evaluated")
            || s.contains("detection not run")
    });
    assert!(s.contains("1 Alerts"), "{s}");
    if !s.contains("detection not run") {
        assert!(
            s.contains("high") || s.contains("medium") || s.contains("low"),
            "alerts listed:\n{s}"
        );
    }

    // Open a request and see its highlighted keywords.
    t.keys(&["2", "j", "Enter"]);
    // The prompt lines may arrive a moment after the header on a busy machine.
    let s = t.wait("the request with its prompt", |s| {
        s.contains("keyword matches") && s.contains("Ignore all previous")
    });
    assert!(s.contains("injection") && s.contains("secret"), "{s}");
    assert!(s.contains("request req-0002"), "{s}");
    // Hostile bytes in the prompt reach the terminal only as visible escapes.
    assert!(s.contains("\\x1b[2J clear"), "{s}");
    t.keys(&["n"]);
    t.wait_for("match 1/");

    // Copy with y: OSC 52 lands in tmux's paste buffer.
    t.keys(&["y"]);
    t.wait_for("osc52");
    let copied = t.buffer();
    assert!(
        copied.contains("### Bedrock request `req-0002`"),
        "{copied}"
    );
    assert!(
        copied.contains("Ignore all previous instructions"),
        "{copied}"
    );

    // Pivot by user and back.
    t.keys(&["Escape", "u"]);
    t.wait_for_all(&["user: user/mallory", "Timeline"]);
    t.keys(&["Escape"]);
    t.wait("back at the requests", |s| {
        s.lines().nth(1).is_some_and(|l| l.starts_with("Requests"))
            && !s.contains("user: user/mallory")
    });

    // Filter the timeline with a field term; the count updates.
    t.keys(&["5", "/"]);
    t.type_text("user=alice");
    t.keys(&["Enter"]);
    t.wait_for_all(&["/user=alice", "2/16"]);

    // Quit restores the terminal (the alternate screen is gone).
    t.keys(&["q"]);
    let s = t.wait("the TUI to exit", |s| !s.contains("1 Alerts"));
    assert!(!s.contains("Timeline"), "{s}");
}

#[test]
fn bad_config_fails_before_the_tui_opens() {
    let out = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["--theme", "neon", "tests/tui/fixtures"])
        .output()
        .expect("run strata");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("neon") && err.contains("dark"), "{err}");
    assert!(Path::new("tests/tui/fixtures").is_dir());
}

#[test]
fn investigate_the_sample_logs_in_tmux() {
    let Some(t) = Tmux::start(&["--clipboard", "osc52", "sample-logs"], 120, 32) else {
        return;
    };
    t.wait("the sample set to load", |s| s.contains("12384 events"));
    let s = t.wait("detection to finish", |s| {
        s.contains("rules evaluated")
            || s.contains("not evaluated")
            || s.contains("detection not run")
    });
    if !s.contains("detection not run") {
        // The planted incidents raise alerts (see sample-logs/README.md).
        assert!(
            s.contains("svc-analytics-export") || s.contains("high"),
            "{s}"
        );
    }

    // The prompt-injection story: the help-center bot's blocked requests.
    t.keys(&["2", "/"]);
    t.type_text("user~support-faq guardrail_action=INTERVENED");
    t.keys(&["Enter"]);
    t.wait_for_all(&["2/5615", "INTERVENED"]);
    t.keys(&["Enter"]);
    t.wait_for_all(&["keyword matches", "injection", "Guardrail", "INTERVENED"]);

    // Raw record to the clipboard.
    t.keys(&["Y"]);
    t.wait_for("raw record");
    assert!(t.buffer().contains("\"schemaType\":\"ModelInvocationLog\""));

    // Everything that principal did, and back.
    t.keys(&["u"]);
    t.wait_for_all(&["user: support-faq-bot-role/support-faq-bot", "Timeline"]);
    t.keys(&["Escape"]);
    t.wait("back in the request view", |s| {
        s.contains("keyword matches")
    });
    t.keys(&["Escape", "Escape"]);
    t.wait("the unfiltered requests", |s| s.contains("5615/5615"));

    // The laptop deletes stand out in the CLI profiles.
    t.keys(&["3"]);
    t.wait_for_all(&["delete", "jlee-mbp"]);
    t.keys(&["q"]);
}
