//! A small ordered element tree over quick-xml for the e-Gov 法令XML.
//!
//! e-Gov sentences can hold inline elements (ruby, superscripts) between runs of text, so
//! the tree keeps text and elements in document order and [`Element::text`] concatenates
//! them. Structural faults (syntax, a truncated file, mismatched tags) are errors with the
//! line of the fault.

use quick_xml::Reader;
use quick_xml::events::Event;

/// One element: name, attributes, children in order, and its line in the file.
#[derive(Debug)]
pub(crate) struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Child>,
    pub line: usize,
}

#[derive(Debug)]
pub(crate) enum Child {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Child::Element(e) => Some(e),
            Child::Text(_) => None,
        })
    }

    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element> + 's {
        self.elements().filter(move |e| e.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// All elements named `name` below this one, in document order.
    pub fn descendants<'s>(&'s self, name: &'s str, out: &mut Vec<&'s Element>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            }
            e.descendants(name, out);
        }
    }

    /// The text of this element and everything inside it, in order.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for c in &self.children {
            match c {
                Child::Text(t) => out.push_str(t),
                // Ruby readings (<Rt>) are not part of the sentence.
                Child::Element(e) if e.name == "Rt" => {}
                Child::Element(e) => e.collect_text(out),
            }
        }
    }
}

/// A structural fault at a line.
#[derive(Debug)]
pub(crate) struct XmlError {
    pub line: usize,
    pub message: String,
}

/// Line numbers by byte position. Positions arrive in increasing order while parsing, so
/// each call counts only the newlines since the previous one.
struct Lines<'a> {
    bytes: &'a [u8],
    position: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, position: u64) -> usize {
        let end = usize::try_from(position).unwrap_or(usize::MAX).min(self.bytes.len());
        if end < self.position {
            self.position = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.position..end].iter().filter(|&&b| b == b'\n').count();
        self.position = end;
        self.line
    }
}

/// Parses a whole document into its root element.
pub(crate) fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let lines = std::cell::RefCell::new(Lines { bytes, position: 0, line: 1 });
    let line_at = |position: u64| lines.borrow_mut().at(position);
    let fail = |position: u64, message: String| XmlError { line: line_at(position), message };
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| fail(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(fail(position, format!("second root element <{name}>")));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let name = std::str::from_utf8(start.name().as_ref())
                    .map_err(|_| fail(position, "element name is not UTF-8".into()))?
                    .to_string();
                let mut attributes = Vec::new();
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|e| fail(position, format!("<{name}>: {e}")))?;
                    let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
                    let value =
                        attribute.unescape_value().map_err(|e| fail(position, format!("<{name}> {key}: {e}")))?;
                    attributes.push((key, value.into_owned()));
                }
                let element = Element { name, attributes, children: Vec::new(), line: line_at(position) };
                if matches!(event, Event::Start(_)) {
                    stack.push(element);
                } else {
                    close(element, &mut stack, &mut root);
                }
            }
            Event::End(_) => {
                let element = stack.pop().ok_or_else(|| fail(position, "end tag without start tag".into()))?;
                close(element, &mut stack, &mut root);
            }
            Event::Text(text) => {
                let text = text.unescape().map_err(|e| fail(position, e.to_string()))?;
                match stack.last_mut() {
                    Some(open) => open.children.push(Child::Text(text.into_owned())),
                    None if text.trim().is_empty() => {}
                    None => return Err(fail(position, "text outside the root element".into())),
                }
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| fail(position, e.to_string()))?;
                if let Some(open) = stack.last_mut() {
                    open.children.push(Child::Text(text.into_owned()));
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(fail(
            bytes.len() as u64,
            format!("file ends inside <{}> opened on line {}: truncated file or unclosed element", open.name, open.line),
        ));
    }
    root.ok_or_else(|| fail(0, "no root element".into()))
}

fn close(element: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Child::Element(element)),
        None => *root = Some(element),
    }
}
