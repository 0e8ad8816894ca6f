//! Request bodies: system prompt, conversation turns and the user prompt text detections read.

use memchr::memmem;
use std::sync::LazyLock;

use super::content::{push, Rendered};
use serde::de::{IgnoredAny, MapAccess};

use super::lenient::{lenient_struct, parse, text, FromJson, Lenient, Raw, Str};
use super::{InvocationText, Turn};

// One struct covers every family because their keys do not collide: Anthropic Messages and Converse
// (`system`, `messages`), legacy Anthropic / Llama / Mistral (`prompt`), Titan (`inputText`) and
// Cohere chat (`message`, `chat_history`, `preamble`).
lenient_struct! {
    struct InputBody<'a> {
        system: Rendered<'a> = "system",
        messages: Vec<Message<'a>> = "messages",
        prompt: Str<'a> = "prompt",
        input_text: Str<'a> = "inputText",
        message: Str<'a> = "message",
        preamble: Str<'a> = "preamble",
        chat_history: Vec<Message<'a>> = "chat_history",
    }
}

lenient_struct! {
    struct Message<'a> {
        role: Str<'a> = "role",
        content: Rendered<'a> = "content",
        // Cohere chat history entries carry their text here instead of in `content`.
        message: Str<'a> = "message",
    }
}

// What ingest reads of a request body: the user prompt text alone. The system prompt and the
// turns of other roles are stepped over instead of rendered.
lenient_struct! {
    struct PromptBody<'a> {
        messages: Vec<UserTurn<'a>> = "messages",
        prompt: Str<'a> = "prompt",
        input_text: Str<'a> = "inputText",
        message: Str<'a> = "message",
        chat_history: Vec<UserTurn<'a>> = "chat_history",
    }
}

/// A [`Message`] read for its user text only. Content met after a non-user `role` is kept as raw
/// JSON and rendered only if a repeated `role` key turns the turn into a user turn after all (the
/// last key wins, as everywhere else), so the result is the one a full read gives.
#[derive(Default)]
pub(super) struct UserTurn<'a> {
    role: Str<'a>,
    content: Rendered<'a>,
    message: Str<'a>,
    held_content: Raw<'a>,
    held_message: Raw<'a>,
}

impl<'a> UserTurn<'a> {
    fn is_user(&self) -> bool {
        is_user(text(&self.role))
    }

    /// Whether the turn's role is known and not the user's, so its text can be stepped over.
    fn other_role(&self) -> bool {
        self.role.is_some() && !self.is_user()
    }
}

impl<'de: 'a, 'a> FromJson<'de> for UserTurn<'a> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut turn = UserTurn::default();
        while let Some(key) = map.next_key_seed(Lenient::<Str<'de>>::new())? {
            match key.as_deref() {
                Some("role") => turn.role = Str::read_field(&mut map)?,
                Some("content") if turn.other_role() => {
                    turn.held_content = Raw::read_field(&mut map)?;
                    turn.content = Rendered::default();
                }
                Some("content") => {
                    turn.content = Rendered::read_field(&mut map)?;
                    turn.held_content = Raw::default();
                }
                Some("message") if turn.other_role() => {
                    turn.held_message = Raw::read_field(&mut map)?;
                    turn.message = None;
                }
                Some("message") => {
                    turn.message = Str::read_field(&mut map)?;
                    turn.held_message = Raw::default();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if turn.is_user() {
            if let Some(raw) = turn.held_content.0.take() {
                turn.content = parse::<Rendered<'a>>(raw.get()).unwrap_or_default();
            }
            if let Some(raw) = turn.held_message.0.take() {
                turn.message = parse::<Str<'a>>(raw.get()).unwrap_or_default();
            }
        }
        Ok(turn)
    }
}

const OPEN_TAG: &[u8] = b"<input>";
const CLOSE_TAG: &[u8] = b"</input>";

/// Built once: `memmem::find` builds its searcher on every call, and every user turn is searched.
static OPEN_TAG_FINDER: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(OPEN_TAG));
static CLOSE_TAG_FINDER: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(CLOSE_TAG));

fn is_user(role: &str) -> bool {
    role.eq_ignore_ascii_case("user")
}

/// Fills `system`, `turns` and `user_prompt`.
pub(super) fn fill(body: InputBody<'_>, out: &mut InvocationText) {
    out.user_prompt = user_prompt(&body);

    let mut system = body.system.display.into_owned();
    push(&mut system, text(&body.preamble));
    let mut turns = Vec::with_capacity(body.messages.len() + body.chat_history.len() + 1);
    for m in body.messages.into_iter().chain(body.chat_history) {
        let role = text(&m.role).to_owned();
        let mut t = m.content.display.into_owned();
        push(&mut t, text(&m.message));
        // OpenAI-style bodies put the system prompt in the conversation.
        if role.eq_ignore_ascii_case("system") {
            push(&mut system, &t);
        }
        turns.push(Turn { role, text: t });
    }
    if let Some(m) = &body.message {
        turns.push(Turn::user(m));
    }
    if let Some(p) = &body.prompt {
        match Legacy::parse(p) {
            Some(legacy) => {
                push(&mut system, legacy.preamble);
                turns.extend(legacy.turns.iter().map(|&(role, t)| Turn {
                    role: role.to_owned(),
                    text: t.to_owned(),
                }));
            }
            None => turns.push(Turn::user(p)),
        }
    }
    if let Some(t) = &body.input_text {
        turns.push(Turn::user(t));
    }
    out.system = system;
    out.turns = turns;
}

/// The user prompt text of a parsed body (see [`InvocationText::user_prompt`]).
pub(super) fn user_prompt(body: &InputBody<'_>) -> String {
    let turns = body.messages.iter().chain(&body.chat_history);
    let user_turns = turns
        .filter(|m| is_user(text(&m.role)))
        .map(|m| (m.content.prompt(), text(&m.message)));
    prompt_of(user_turns, &body.message, &body.prompt, &body.input_text)
}

/// [`user_prompt`] of a body read for it alone.
pub(super) fn user_prompt_only(body: &PromptBody<'_>) -> String {
    let turns = body.messages.iter().chain(&body.chat_history);
    let user_turns = turns
        .filter(|m| m.is_user())
        .map(|m| (m.content.prompt(), text(&m.message)));
    prompt_of(user_turns, &body.message, &body.prompt, &body.input_text)
}

fn prompt_of<'s>(
    user_turns: impl Iterator<Item = (&'s str, &'s str)>,
    message: &'s Str<'_>,
    prompt: &'s Str<'_>,
    input_text: &'s Str<'_>,
) -> String {
    let mut pieces: Vec<&str> = Vec::new();
    for (content, message) in user_turns {
        pieces.push(content);
        pieces.push(message);
    }
    let body_message = text(message);
    pieces.push(body_message);
    if let Some(p) = prompt {
        match Legacy::parse(p) {
            Some(legacy) => pieces.extend(
                legacy
                    .turns
                    .iter()
                    .filter(|(role, _)| is_user(role))
                    .map(|&(_, t)| t),
            ),
            None => pieces.push(p),
        }
    }
    pieces.push(text(input_text));
    select_prompt(&pieces)
}

/// Applications that wrap the end user's words in `<input>` tags inside a larger template want only
/// those words inspected, so tagged text wins over the whole turn when any user turn has a tag.
fn select_prompt(pieces: &[&str]) -> String {
    let tagged = pieces
        .iter()
        .any(|p| OPEN_TAG_FINDER.find(p.as_bytes()).is_some());
    let mut out = String::new();
    for p in pieces {
        if tagged {
            push_tagged(p, &mut out);
        } else {
            push(&mut out, p);
        }
    }
    out
}

/// Appends the inner text of every `<input>…</input>` in `text`; an unclosed tag runs to the end,
/// because text after it is still the end user's.
fn push_tagged(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(open) = OPEN_TAG_FINDER.find(rest.as_bytes()) {
        let after = rest.get(open + OPEN_TAG.len()..).unwrap_or("");
        match CLOSE_TAG_FINDER.find(after.as_bytes()) {
            Some(close) => {
                push(out, after.get(..close).unwrap_or(""));
                rest = after.get(close + CLOSE_TAG.len()..).unwrap_or("");
            }
            None => {
                push(out, after);
                return;
            }
        }
    }
}

/// A legacy Anthropic text-completions prompt: `"<preamble>\n\nHuman: …\n\nAssistant: …\n\nAssistant:"`.
struct Legacy<'s> {
    preamble: &'s str,
    turns: Vec<(&'static str, &'s str)>,
}

impl<'s> Legacy<'s> {
    const HUMAN: &'static str = "\n\nHuman:";
    const ASSISTANT: &'static str = "\n\nAssistant:";

    fn parse(prompt: &'s str) -> Option<Self> {
        let bytes = prompt.as_bytes();
        // (marker start, marker end, role); every marker is ASCII, so both ends are char boundaries.
        let mut marks: Vec<(usize, usize, &'static str)> = Vec::new();
        // A prompt may also open with the human turn directly.
        if prompt.starts_with("Human:") {
            marks.push((0, "Human:".len(), "user"));
        }
        for (needle, role) in [(Self::HUMAN, "user"), (Self::ASSISTANT, "assistant")] {
            marks.extend(memmem::find_iter(bytes, needle).map(|at| (at, at + needle.len(), role)));
        }
        if marks.is_empty() {
            return None;
        }
        marks.sort_unstable_by_key(|m| m.0);
        let preamble = prompt.get(..marks[0].0).unwrap_or("").trim();
        let mut turns = Vec::with_capacity(marks.len());
        for (i, &(_, end, role)) in marks.iter().enumerate() {
            let next = marks.get(i + 1).map_or(prompt.len(), |m| m.0);
            turns.push((role, prompt.get(end..next).unwrap_or("").trim()));
        }
        // The closing "Assistant:" is the cue for the model to answer, not a turn.
        if turns
            .last()
            .is_some_and(|&(role, t)| role == "assistant" && t.is_empty())
        {
            turns.pop();
        }
        Some(Legacy { preamble, turns })
    }
}
