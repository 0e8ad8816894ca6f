//! Message content (Anthropic content blocks, Converse content blocks, plain strings), rendered to text
//! as it is read so that no block outlives its own parse.

use std::borrow::Cow;

use serde::de::{MapAccess, SeqAccess};

use super::lenient::{lenient_struct, text, FromJson, Lenient, Present, Str};

/// Separator between blocks, turns and other independent pieces of text.
pub(super) const SEP: &str = "\n\n";

/// Tool results can be whole files or web pages; the turn keeps only enough to recognise them.
const PREVIEW_CHARS: usize = 200;

/// Appends `piece` to `dst`, separated by [`SEP`]; empty pieces add nothing.
pub(super) fn push(dst: &mut String, piece: &str) {
    if piece.is_empty() {
        return;
    }
    if !dst.is_empty() {
        dst.push_str(SEP);
    }
    dst.push_str(piece);
}

fn push_cow<'a>(dst: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if piece.is_empty() {
        return;
    }
    if dst.is_empty() {
        *dst = piece;
        return;
    }
    let d = dst.to_mut();
    d.push_str(SEP);
    d.push_str(&piece);
}

/// Content rendered twice: `display` keeps every block (non-text ones as bracketed markers), `prompt`
/// keeps only what a person typed (text and guarded text).
#[derive(Default)]
pub(super) struct Rendered<'a> {
    pub(super) display: Cow<'a, str>,
    /// `None` while no marker has been added, i.e. while the prompt equals `display`; this keeps the
    /// common all-text content from being copied twice.
    prompt: Option<Cow<'a, str>>,
}

impl<'a> Rendered<'a> {
    pub(super) fn prompt(&self) -> &str {
        self.prompt.as_deref().unwrap_or(&self.display)
    }

    fn push_text(&mut self, t: Cow<'a, str>) {
        if let Some(p) = &mut self.prompt {
            push_cow(p, t.clone());
        }
        push_cow(&mut self.display, t);
    }

    fn push_marker(&mut self, marker: String) {
        if self.prompt.is_none() {
            self.prompt = Some(self.display.clone());
        }
        push_cow(&mut self.display, Cow::Owned(marker));
    }

    pub(super) fn add_block(&mut self, b: Block<'a>) {
        if b.unknown && b.is_void() {
            self.push_marker("[content block]".to_owned());
            return;
        }
        if let Some(t) = b.text {
            self.push_text(t);
        }
        if let Some(t) = b.guard.text.text {
            self.push_text(t);
        }
        if !b.guard.image.is_void() {
            self.push_marker(media_marker("image", &b.guard.image));
        }
        match text(&b.kind) {
            "" | "text" => {}
            "tool_use" | "server_tool_use" => self.push_marker(tool_use_marker(text(&b.name))),
            "tool_result" => self.push_marker(tool_result_marker(text(&b.tool_use_id), &b.content)),
            "image" => self.push_marker(source_marker("image", "", &b.source)),
            "document" => self.push_marker(source_marker("document", text(&b.title), &b.source)),
            "thinking" => self.push_marker("[thinking]".to_owned()),
            other => self.push_marker(format!("[{other}]")),
        }
        for (kind, media) in [
            ("document", &b.document),
            ("image", &b.image),
            ("video", &b.video),
        ] {
            if !media.is_void() {
                self.push_marker(media_marker(kind, media));
            }
        }
        if !b.tool_use.is_void() {
            self.push_marker(tool_use_marker(text(&b.tool_use.name)));
        }
        if !b.tool_result.is_void() {
            let r = &b.tool_result;
            self.push_marker(tool_result_marker(text(&r.id), &r.content));
        }
        if b.reasoning.0 {
            self.push_marker("[thinking]".to_owned());
        }
        if b.json.0 {
            self.push_marker("[json]".to_owned());
        }
        if b.citations.0 {
            self.push_marker("[citations]".to_owned());
        }
    }
}

impl<'de: 'a, 'a> FromJson<'de> for Rendered<'a> {
    const WANTS_STR: bool = true;
    fn from_str(v: Cow<'de, str>) -> Self {
        Rendered {
            display: v,
            prompt: None,
        }
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut r = Rendered::default();
        r.add_block(Block::from_map(map)?);
        Ok(r)
    }
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut r = Rendered::default();
        while let Some(item) = seq.next_element_seed(Lenient::<Item<'a>>::new())? {
            r.add_block(item.0);
        }
        Ok(r)
    }
    fn is_void(&self) -> bool {
        self.display.is_empty() && self.prompt.is_none()
    }
}

/// A content-array element; a bare string there is taken as text rather than dropped.
#[derive(Default)]
struct Item<'a>(Block<'a>);

impl<'de: 'a, 'a> FromJson<'de> for Item<'a> {
    const WANTS_STR: bool = true;
    fn from_str(v: Cow<'de, str>) -> Self {
        Item(Block {
            text: Some(v),
            ..Block::default()
        })
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Block::from_map(map).map(Item)
    }
}

// Anthropic blocks are tagged by `type`; Converse blocks by which single key they carry.
lenient_struct! {
    struct Block<'a> {
        kind: Str<'a> = "type",
        text: Str<'a> = "text",
        name: Str<'a> = "name",
        tool_use_id: Str<'a> = "tool_use_id",
        content: Preview = "content",
        title: Str<'a> = "title",
        source: Source<'a> = "source",
        guard: Guard<'a> = "guardContent",
        document: Media<'a> = "document",
        image: Media<'a> = "image",
        video: Media<'a> = "video",
        tool_use: ToolUse<'a> = "toolUse",
        tool_result: ToolResult<'a> = "toolResult",
        reasoning: Present = "reasoningContent",
        json: Present = "json",
        citations: Present = "citationsContent",
        // A cache checkpoint carries no content; named so it does not count as an unknown block.
        cache_point: Present = "cachePoint",
    }
    other: unknown
}

lenient_struct! {
    struct Guard<'a> {
        text: GuardText<'a> = "text",
        image: Media<'a> = "image",
    }
}

lenient_struct! {
    struct GuardText<'a> {
        text: Str<'a> = "text",
    }
}

lenient_struct! {
    struct Media<'a> {
        format: Str<'a> = "format",
        name: Str<'a> = "name",
        source: Source<'a> = "source",
    }
}

lenient_struct! {
    struct Source<'a> {
        s3_uri: Str<'a> = "s3Uri",
        s3_location: S3Location<'a> = "s3Location",
        media_type: Str<'a> = "media_type",
        url: Str<'a> = "url",
    }
}

lenient_struct! {
    struct S3Location<'a> {
        uri: Str<'a> = "uri",
    }
}

lenient_struct! {
    struct ToolUse<'a> {
        name: Str<'a> = "name",
    }
}

lenient_struct! {
    struct ToolResult<'a> {
        id: Str<'a> = "toolUseId",
        content: Preview = "content",
    }
}

lenient_struct! {
    struct PreviewPart<'a> {
        text: Str<'a> = "text",
    }
}

/// The leading text of a tool result, capped at [`PREVIEW_CHARS`] while it is read.
#[derive(Default)]
pub(super) struct Preview {
    text: String,
    truncated: bool,
}

impl Preview {
    fn add(&mut self, piece: &str) {
        if piece.is_empty() || self.truncated {
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        let room = PREVIEW_CHARS.saturating_sub(self.text.chars().count());
        match piece.char_indices().nth(room) {
            Some((cut, _)) => {
                self.text.push_str(piece.get(..cut).unwrap_or(""));
                self.text.push('…');
                self.truncated = true;
            }
            None => self.text.push_str(piece),
        }
    }
}

impl<'de> FromJson<'de> for Preview {
    const WANTS_STR: bool = true;
    fn from_str(v: Cow<'de, str>) -> Self {
        let mut p = Preview::default();
        p.add(&v);
        p
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut p = Preview::default();
        p.add(text(&PreviewPart::from_map(map)?.text));
        Ok(p)
    }
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut p = Preview::default();
        while let Some(part) = seq.next_element_seed(Lenient::<PreviewPart<'_>>::new())? {
            p.add(text(&part.text));
        }
        Ok(p)
    }
    fn is_void(&self) -> bool {
        self.text.is_empty()
    }
}

fn tool_use_marker(name: &str) -> String {
    if name.is_empty() {
        "[tool_use]".to_owned()
    } else {
        format!("[tool_use {name}]")
    }
}

fn tool_result_marker(id: &str, content: &Preview) -> String {
    let mut m = String::from("[tool_result");
    if !id.is_empty() {
        m.push(' ');
        m.push_str(id);
    }
    if !content.text.is_empty() {
        m.push_str(": ");
        m.push_str(&content.text);
    }
    m.push(']');
    m
}

fn marker(kind: &str, name: &str, format: &str, uri: &str) -> String {
    let mut m = String::with_capacity(kind.len() + name.len() + format.len() + uri.len() + 8);
    m.push('[');
    m.push_str(kind);
    if !name.is_empty() {
        m.push_str(": ");
        m.push_str(name);
    }
    if !format.is_empty() {
        m.push_str(" (");
        m.push_str(format);
        m.push(')');
    }
    if !uri.is_empty() {
        m.push(' ');
        m.push_str(uri);
    }
    m.push(']');
    m
}

fn source_uri<'b>(s: &'b Source<'_>) -> &'b str {
    [&s.s3_location.uri, &s.s3_uri, &s.url]
        .into_iter()
        .find_map(|u| u.as_deref())
        .unwrap_or("")
}

/// Converse media: `{"format", "name"?, "source": {"s3Location": {"uri"}} | {"bytes"}}`.
fn media_marker(kind: &str, m: &Media<'_>) -> String {
    marker(kind, text(&m.name), text(&m.format), source_uri(&m.source))
}

/// Anthropic media: `{"type", "title"?, "source": {"type", "media_type", "data" | "url"}}`.
fn source_marker(kind: &str, title: &str, s: &Source<'_>) -> String {
    marker(kind, title, text(&s.media_type), source_uri(s))
}
