//! Endpoint process-start telemetry in three shapes: Jamf Protect exec events (argv
//! array, macOS), ECS process events (auditbeat / Elastic Agent, Linux) and Sysmon
//! event 1 exported as JSON lines (Windows).

use crate::clock::{iso_ms, sysmon};
use crate::json::{obj, V};
use crate::rng::Rng;

pub struct MacHost {
    pub hostname: &'static str,
    pub serial: &'static str,
    pub ips: &'static [&'static str],
    pub os: &'static str,
    pub user: &'static str,
    pub uid: u32,
}

pub struct LinuxHost {
    pub hostname: &'static str,
    pub ip: &'static str,
    pub user: &'static str,
    pub uid: u32,
}

pub struct WindowsHost {
    pub computer: &'static str,
    pub user: &'static str,
}

/// Shell-style join for display (`process.command_line`).
pub fn join_args(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if a.is_empty() || a.contains([' ', '"', '\'', '{', '}', '$', '*']) {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn upper_uuid(rng: &mut Rng) -> String {
    rng.uuid().to_uppercase()
}

fn stat(ms: i64, size: u64, mode: u32, rng: &mut Rng) -> V {
    let when = iso_ms(ms - rng.range(86_400_000, 90 * 86_400_000));
    obj! {
        "st_atimespec" => when.clone(),
        "st_birthtimespec" => when.clone(),
        "st_blksize" => 4096,
        "st_blocks" => size.div_ceil(512),
        "st_ctimespec" => when.clone(),
        "st_dev" => 16_777_231,
        "st_flags" => 0,
        "st_gen" => 0,
        "st_gid" => 0,
        "st_ino" => rng.range(1_000_000, 90_000_000),
        "st_mode" => mode,
        "st_mtimespec" => when,
        "st_nlink" => 1,
        "st_rdev" => 0,
        "st_size" => size,
        "st_uid" => 0,
    }
}

fn audit_token(pid: i64, uid: u32, rng: &mut Rng) -> V {
    obj! {
        "asid" => 100_012,
        "auid" => uid,
        "egid" => 20,
        "euid" => uid,
        "pid" => pid,
        "pidversion" => rng.range(100_000, 900_000),
        "rgid" => 20,
        "ruid" => uid,
        "uuid" => upper_uuid(rng),
    }
}

/// A Jamf Protect Device Telemetry Stream exec event (`event_type: 9`).
pub fn jamf_exec(
    h: &MacHost,
    ms: i64,
    args: &[String],
    exe: &str,
    parent_exe: &str,
    rng: &mut Rng,
) -> V {
    let pid = rng.range(20_000, 99_000);
    let ppid = rng.range(1_000, 19_999);
    let home = format!("/Users/{}", h.user);
    let start = iso_ms(ms - ms % 1000);
    let env: Vec<V> = [
        format!("USER={}", h.user),
        "COMMAND_MODE=unix2003".to_string(),
        "PATH=/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin".to_string(),
        format!("LOGNAME={}", h.user),
        format!("HOME={home}"),
        "SHELL=/bin/zsh".to_string(),
        "TERM_PROGRAM=iTerm.app".to_string(),
        format!(
            "TMPDIR=/var/folders/{}/{}/T/",
            rng.lower_alnum(2),
            rng.lower_alnum(30)
        ),
        "AWS_PROFILE=default".to_string(),
    ]
    .into_iter()
    .map(V::from)
    .collect();
    let parent = audit_token(ppid, h.uid, rng);
    let target = obj! {
        "audit_token" => audit_token(pid, h.uid, rng),
        "cdhash" => rng.hex(40),
        "codesigning_flags" => 570_522_385,
        "executable" => obj! {
            "path" => exe.to_string(),
            "path_truncated" => false,
            "stat" => stat(ms, rng.range(60_000, 2_000_000) as u64, 33261, rng),
        },
        "group_id" => pid,
        "is_es_client" => false,
        "is_platform_binary" => exe.starts_with("/bin/") || exe.starts_with("/usr/bin/"),
        "original_ppid" => ppid,
        "parent_audit_token" => parent.clone(),
        "ppid" => ppid,
        "responsible_audit_token" => parent.clone(),
        "session_id" => ppid,
        "signing_id" => exe.rsplit('/').next().unwrap_or(exe).to_string(),
        "start_time" => start.clone(),
    };
    obj! {
        "action" => obj! { "result" => obj! { "result" => obj! { "auth" => 1 }, "result_type" => 0 } },
        "action_type" => 1,
        "deadline" => 0,
        "event" => obj! { "exec" => obj! {
            "args" => V::Arr(args.iter().map(V::from).collect()),
            "cwd" => obj! {
                "path" => home,
                "path_truncated" => false,
                "stat" => stat(ms, 1_216, 16877, rng),
            },
            "dyld_exec_path" => exe.to_string(),
            "env" => V::Arr(env),
            "fds" => V::Arr((0..3).map(|fd| obj! { "fd" => fd, "fdtype" => 1 }).collect()),
            "image_cpusubtype" => -2_147_483_646,
            "image_cputype" => 16_777_228,
            "last_fd" => 2,
            "target" => target,
        } },
        "event_type" => 9,
        "glob_seq_num" => rng.range(1_000, 900_000),
        "host" => obj! {
            "hostname" => h.hostname,
            "ips" => V::Arr(h.ips.iter().map(|s| V::from(*s)).collect()),
            "os" => h.os,
            "protectVersion" => "6.2.0.11",
            "provisioningUDID" => format!("00006030-{}", rng.upper_alnum(16)),
            "serial" => h.serial,
        },
        "mach_time" => ms * 24_000,
        "metadata" => obj! {
            "product" => "Device Telemetry Stream",
            "schemaVersion" => "1.0",
            "vendor" => "Jamf",
        },
        "process" => obj! {
            "audit_token" => parent,
            "cdhash" => rng.hex(40),
            "codesigning_flags" => 570_522_385,
            "executable" => obj! {
                "path" => parent_exe.to_string(),
                "path_truncated" => false,
                "stat" => stat(ms, 1_361_200, 33261, rng),
            },
            "group_id" => ppid,
            "is_es_client" => false,
            "is_platform_binary" => true,
            "original_ppid" => ppid - 7,
            "ppid" => ppid - 7,
            "session_id" => ppid - 7,
            "signing_id" => "com.apple.zsh",
            "start_time" => iso_ms(ms - rng.range(60_000, 3_600_000)),
        },
        "seq_num" => rng.range(100, 90_000),
        "thread" => obj! { "thread_id" => rng.range(1_000_000, 9_000_000), "uuid" => upper_uuid(rng) },
        "time" => iso_ms(ms),
        "uuid" => upper_uuid(rng),
        "version" => 7,
    }
}

/// An ECS `process` start event as auditbeat's system module writes it.
pub fn ecs_process(
    h: &LinuxHost,
    ms: i64,
    args: &[String],
    exe: &str,
    cwd: &str,
    rng: &mut Rng,
) -> V {
    let pid = rng.range(2_000, 400_000);
    let name = exe.rsplit('/').next().unwrap_or(exe).to_string();
    let command_line = join_args(args);
    obj! {
        "@timestamp" => iso_ms(ms),
        "agent" => obj! { "type" => "auditbeat", "version" => "8.15.3", "name" => h.hostname },
        "ecs" => obj! { "version" => "8.0.0" },
        "event" => obj! {
            "kind" => "event",
            "category" => V::Arr(vec!["process".into()]),
            "type" => V::Arr(vec!["start".into()]),
            "action" => "process_started",
            "module" => "system",
            "dataset" => "process",
        },
        "host" => obj! {
            "hostname" => h.hostname,
            "name" => h.hostname,
            "ip" => V::Arr(vec![h.ip.into()]),
            "os" => obj! {
                "type" => "linux",
                "family" => "debian",
                "name" => "Ubuntu",
                "version" => "24.04.1 LTS (Noble Numbat)",
                "kernel" => "6.8.0-1016-aws",
            },
        },
        "process" => obj! {
            "pid" => pid,
            "entity_id" => rng.alnum(16),
            "executable" => exe.to_string(),
            "name" => name.clone(),
            "command_line" => command_line,
            "args" => V::Arr(args.iter().map(V::from).collect()),
            "args_count" => args.len(),
            "working_directory" => cwd.to_string(),
            "start" => iso_ms(ms),
            "parent" => obj! { "pid" => pid - rng.range(1, 40), "name" => "bash", "executable" => "/usr/bin/bash" },
        },
        "user" => obj! { "name" => h.user, "id" => h.uid.to_string() },
        "message" => format!("Process {name} (PID: {pid}) by user {} STARTED", h.user),
    }
}

/// Sysmon event 1 (process creation) as exported to JSON lines.
pub fn sysmon_process(
    h: &WindowsHost,
    ms: i64,
    image: &str,
    command_line: &str,
    parent_image: &str,
    rng: &mut Rng,
) -> V {
    let guid = |rng: &mut Rng| format!("{{{}}}", rng.uuid());
    let user = h.user.to_string();
    let home = format!("C:\\Users\\{}\\", user.rsplit('\\').next().unwrap_or(&user));
    obj! {
        "EventID" => 1,
        "Channel" => "Microsoft-Windows-Sysmon/Operational",
        "Computer" => h.computer,
        "RuleName" => "-",
        "UtcTime" => sysmon(ms),
        "ProcessGuid" => guid(rng),
        "ProcessId" => rng.range(1_000, 30_000),
        "Image" => image.to_string(),
        "FileVersion" => "-",
        "Description" => "-",
        "Product" => "-",
        "Company" => "-",
        "OriginalFileName" => image.rsplit('\\').next().unwrap_or(image).to_string(),
        "CommandLine" => command_line.to_string(),
        "CurrentDirectory" => home,
        "User" => user.clone(),
        "LogonGuid" => guid(rng),
        "LogonId" => "0x4a3f21",
        "TerminalSessionId" => 1,
        "IntegrityLevel" => "Medium",
        "Hashes" => format!("SHA256={}", rng.hex(64).to_uppercase()),
        "ParentProcessGuid" => guid(rng),
        "ParentProcessId" => rng.range(1_000, 30_000),
        "ParentImage" => parent_image.to_string(),
        "ParentCommandLine" => format!("\"{parent_image}\""),
        "ParentUser" => user,
    }
}
