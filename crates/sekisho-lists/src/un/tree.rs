//! A small element tree over quick-xml, strict about structure.
//!
//! The UN file is 2 MB; holding it as a tree costs a few milliseconds and lets the mapping
//! read each record as a whole instead of through a state machine. The builder is where
//! broken structure is caught: syntax errors, mismatched or unclosed tags (a truncated file),
//! text outside the root and a second root are all errors with the byte offset of the fault.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One XML element with its text (concatenated text and CDATA children) and where it starts.
/// Names and unescaped text borrow from the input: the UN file has 60 000 elements, and
/// allocating for each made parsing ten times slower than reading the XML.
#[derive(Debug)]
pub(super) struct Element<'a> {
    pub name: Cow<'a, str>,
    pub attributes: Vec<(String, String)>,
    pub text: Cow<'a, str>,
    pub children: Vec<Element<'a>>,
    /// Byte offset of the element's start tag, for error lines.
    pub offset: usize,
}

impl<'a> Element<'a> {
    pub fn children<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The trimmed text of the first child of that name, `None` when absent or blank.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(Element::non_blank_text)
    }

    pub fn non_blank_text(&self) -> Option<&str> {
        let text = self.text.trim();
        (!text.is_empty()).then_some(text)
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A structural fault: where (byte offset), in which element, what.
#[derive(Debug)]
pub(super) struct XmlError {
    pub offset: usize,
    pub element: Option<String>,
    pub message: String,
}

/// Parses a whole document into its root element.
pub(super) fn parse_document(bytes: &[u8]) -> Result<Element<'_>, XmlError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let offset = to_usize(reader.buffer_position());
        let fail = |stack: &[Element], offset: usize, message: String| XmlError {
            offset,
            element: stack.last().map(|e| e.name.to_string()),
            message,
        };
        let event = reader
            .read_event()
            .map_err(|e| fail(&stack, to_usize(reader.error_position()), e.to_string()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(fail(
                    &stack,
                    offset,
                    format!("second root element <{name}>"),
                ));
            }
            Event::Start(start) => {
                stack.push(open(bytes, &start, offset).map_err(|m| fail(&stack, offset, m))?);
            }
            Event::Empty(start) => {
                let element = open(bytes, &start, offset).map_err(|m| fail(&stack, offset, m))?;
                close(element, &mut stack, &mut root);
            }
            Event::End(_) => {
                // quick-xml has checked that the name matches the open element.
                let Some(element) = stack.pop() else {
                    return Err(fail(&stack, offset, "end tag without start tag".into()));
                };
                close(element, &mut stack, &mut root);
            }
            Event::Text(text) => {
                let text = text
                    .unescape()
                    .map_err(|e| fail(&stack, offset, e.to_string()))?;
                // Point at the text itself, not at the line break before it.
                let at = offset + text.len() - text.trim_start().len();
                append_text(&mut stack, text).map_err(|m| fail(&stack, at, m))?;
            }
            Event::CData(data) => {
                let text = data
                    .decode()
                    .map_err(|e| fail(&stack, offset, e.to_string()))?;
                append_text(&mut stack, text).map_err(|m| fail(&stack, offset, m))?;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            offset: bytes.len(),
            element: Some(open.name.to_string()),
            message: format!(
                "file ends inside <{}> (opened on byte {}): truncated file or unclosed element",
                open.name, open.offset
            ),
        });
    }
    root.ok_or_else(|| XmlError {
        offset: 0,
        element: None,
        message: "no root element".into(),
    })
}

fn to_usize(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

fn open<'a>(input: &'a [u8], start: &BytesStart<'_>, offset: usize) -> Result<Element<'a>, String> {
    let raw = start.name();
    let raw = raw.as_ref();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let value = attribute
            .unescape_value()
            .map_err(|e| format!("attribute {key}: {e}"))?;
        attributes.push((key, value.into_owned()));
    }
    let not_utf8 = |_| "element name is not UTF-8".to_string();
    // The tag starts at `offset` with '<'; borrow the name from the input when it is there.
    let name = match input.get(offset + 1..offset + 1 + raw.len()) {
        Some(in_input) if in_input == raw => {
            Cow::Borrowed(std::str::from_utf8(in_input).map_err(not_utf8)?)
        }
        _ => Cow::Owned(std::str::from_utf8(raw).map_err(not_utf8)?.to_string()),
    };
    Ok(Element {
        name,
        attributes,
        text: Cow::Borrowed(""),
        children: Vec::new(),
        offset,
    })
}

fn close<'a>(element: Element<'a>, stack: &mut [Element<'a>], root: &mut Option<Element<'a>>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn append_text<'a>(stack: &mut [Element<'a>], text: Cow<'a, str>) -> Result<(), String> {
    match stack.last_mut() {
        // Whitespace between child elements is layout, not content.
        Some(open) if open.text.is_empty() && text.trim().is_empty() => Ok(()),
        Some(open) if open.text.is_empty() => {
            open.text = text;
            Ok(())
        }
        Some(open) => {
            open.text.to_mut().push_str(&text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err("text outside the root element".into()),
    }
}
