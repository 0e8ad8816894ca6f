//! One theme file, parsed and checked but not yet resolved against its parents' palette.
//!
//! Format:
//! ```toml
//! inherits = "dark"                 # preset name or path (relative to this file); default "dark"
//! [palette]
//! accent = "#5fafff"                # ANSI name, "#rrggbb" or an index 0-255
//! [styles]
//! selection = { fg = "white", bg = "accent", modifiers = ["bold"] }
//! border = "accent"                 # shorthand for { fg = "accent" }
//! ```

use std::ops::Range;

use ratatui::style::{Color, Modifier};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::color::{ansi_color, hex_color, modifier, ANSI_COLORS, COLOR_FORMS_HELP, MODIFIERS};
use super::slot::Slot;
use crate::config::{
    entries_in_file_order, type_name, unknown_value_message, ConfigError, ConfigSource, Diagnostics,
};

/// A colour as written: names stay unresolved until the whole inheritance chain is known, so a
/// child theme that only redefines palette entries recolours every inherited style.
#[derive(Debug, Clone)]
pub(crate) enum ColorRef {
    Fixed(Color),
    Named { name: String, span: Range<usize> },
}

#[derive(Debug, Clone, Default)]
pub(crate) struct StyleSpec {
    pub fg: Option<ColorRef>,
    pub bg: Option<ColorRef>,
    pub modifiers: Modifier,
}

#[derive(Debug)]
pub(crate) struct ThemeLayer {
    pub source: ConfigSource,
    pub inherits: Option<Spanned<String>>,
    pub palette: Vec<(String, Color)>,
    pub styles: Vec<(Slot, StyleSpec)>,
}

const TOP_LEVEL_KEYS: &[&str] = &["inherits", "palette", "styles"];
const STYLE_FIELDS: &[&str] = &["fg", "bg", "modifiers"];

pub(crate) fn parse_layer(source: ConfigSource) -> Result<ThemeLayer, ConfigError> {
    let (inherits, palette, styles) = {
        let document = source.parse()?;
        let mut diagnostics = Diagnostics::new(&source);
        let mut inherits = None;
        let mut palette = Vec::new();
        let mut styles = Vec::new();
        for (key, value) in entries_in_file_order(document.get_ref()) {
            match key.get_ref().as_ref() {
                "inherits" => match value.get_ref().as_str() {
                    Some(name) => inherits = Some(Spanned::new(value.span(), name.to_string())),
                    None => diagnostics.push(value.span(), expected("a theme name", value)),
                },
                "palette" => match value.get_ref().as_table() {
                    Some(table) => palette = parse_palette(table, &mut diagnostics),
                    None => diagnostics.push(value.span(), expected("a table of colours", value)),
                },
                "styles" => match value.get_ref().as_table() {
                    Some(table) => styles = parse_styles(table, &mut diagnostics),
                    None => diagnostics.push(value.span(), expected("a table of styles", value)),
                },
                other => {
                    let keys = TOP_LEVEL_KEYS.iter().copied();
                    diagnostics.push(
                        key.span(),
                        unknown_value_message("top-level key", other, keys),
                    );
                }
            }
        }
        diagnostics.finish()?;
        (inherits, palette, styles)
    };
    Ok(ThemeLayer {
        source,
        inherits,
        palette,
        styles,
    })
}

fn expected(what: &str, value: &Spanned<DeValue<'_>>) -> String {
    format!("expected {what}, found {}", type_name(value.get_ref()))
}

fn parse_palette(table: &DeTable<'_>, diagnostics: &mut Diagnostics<'_>) -> Vec<(String, Color)> {
    let mut palette = Vec::new();
    for (name, value) in entries_in_file_order(table) {
        if ansi_color(name.get_ref()).is_some() {
            let message = format!(
                "palette entry \"{}\" shadows the ANSI colour of that name; choose another name",
                name.get_ref()
            );
            diagnostics.push(name.span(), message);
            continue;
        }
        match parse_color(value, diagnostics) {
            Some(ColorRef::Fixed(color)) => palette.push((name.get_ref().to_string(), color)),
            Some(ColorRef::Named {
                name: value_name,
                span,
            }) => {
                if let Some(color) = ansi_color(&value_name) {
                    palette.push((name.get_ref().to_string(), color));
                    continue;
                }
                let message = format!(
                    "bad colour \"{value_name}\" for palette entry \"{}\"; palette entries take an \
                     ANSI colour name ({}), {COLOR_FORMS_HELP}",
                    name.get_ref(),
                    ansi_names()
                );
                diagnostics.push(span, message);
            }
            None => {}
        }
    }
    palette
}

fn parse_styles(table: &DeTable<'_>, diagnostics: &mut Diagnostics<'_>) -> Vec<(Slot, StyleSpec)> {
    let mut styles = Vec::new();
    for (name, value) in entries_in_file_order(table) {
        let Some(slot) = Slot::from_name(name.get_ref()) else {
            let slots = Slot::all().iter().map(|s| s.name());
            diagnostics.push(
                name.span(),
                unknown_value_message("style slot", name.get_ref(), slots),
            );
            continue;
        };
        let spec = match value.get_ref() {
            DeValue::String(_) => StyleSpec {
                fg: parse_color(value, diagnostics),
                ..StyleSpec::default()
            },
            DeValue::Table(fields) => parse_style_fields(fields, diagnostics),
            _ => {
                let message = format!(
                    "expected a style table {{ fg, bg, modifiers }} or a colour, found {}",
                    type_name(value.get_ref())
                );
                diagnostics.push(value.span(), message);
                continue;
            }
        };
        styles.push((slot, spec));
    }
    styles
}

fn parse_style_fields(fields: &DeTable<'_>, diagnostics: &mut Diagnostics<'_>) -> StyleSpec {
    let mut spec = StyleSpec::default();
    for (field, value) in entries_in_file_order(fields) {
        match field.get_ref().as_ref() {
            "fg" => spec.fg = parse_color(value, diagnostics),
            "bg" => spec.bg = parse_color(value, diagnostics),
            "modifiers" => spec.modifiers = parse_modifiers(value, diagnostics),
            other => {
                let names = STYLE_FIELDS.iter().copied();
                diagnostics.push(
                    field.span(),
                    unknown_value_message("style field", other, names),
                );
            }
        }
    }
    spec
}

fn parse_modifiers(value: &Spanned<DeValue<'_>>, diagnostics: &mut Diagnostics<'_>) -> Modifier {
    let Some(items) = value.get_ref().as_array() else {
        diagnostics.push(value.span(), expected("an array of modifier names", value));
        return Modifier::empty();
    };
    let mut modifiers = Modifier::empty();
    for item in items.iter() {
        match item.get_ref().as_str() {
            Some(name) => match modifier(name) {
                Some(m) => modifiers |= m,
                None => {
                    let names = MODIFIERS.iter().map(|(n, _)| *n);
                    diagnostics.push(item.span(), unknown_value_message("modifier", name, names));
                }
            },
            None => diagnostics.push(item.span(), expected("a modifier name", item)),
        }
    }
    modifiers
}

/// Checks the shape of a colour; names are only resolved later, against the final palette.
fn parse_color(
    value: &Spanned<DeValue<'_>>,
    diagnostics: &mut Diagnostics<'_>,
) -> Option<ColorRef> {
    match value.get_ref() {
        DeValue::String(text) if text.starts_with('#') => match hex_color(text) {
            Some(color) => Some(ColorRef::Fixed(color)),
            None => {
                let message = format!("bad colour \"{text}\"; hex colours are written \"#rrggbb\"");
                diagnostics.push(value.span(), message);
                None
            }
        },
        DeValue::String(text) => Some(ColorRef::Named {
            name: text.to_string(),
            span: value.span(),
        }),
        DeValue::Integer(integer) => {
            match i64::from_str_radix(integer.as_str(), integer.radix())
                .ok()
                .and_then(|n| u8::try_from(n).ok())
            {
                Some(index) => Some(ColorRef::Fixed(Color::Indexed(index))),
                None => {
                    let message =
                        format!("colour index {integer} is out of range; valid indexes: 0-255");
                    diagnostics.push(value.span(), message);
                    None
                }
            }
        }
        _ => {
            let message = format!(
                "expected a colour (an ANSI name, a palette name, {COLOR_FORMS_HELP}), found {}",
                type_name(value.get_ref())
            );
            diagnostics.push(value.span(), message);
            None
        }
    }
}

pub(crate) fn ansi_names() -> String {
    ANSI_COLORS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}
