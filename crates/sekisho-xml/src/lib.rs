//! A small element tree over quick-xml, strict about structure, for the official XML files
//! sekisho reads: the UN Security Council list (`sekisho-lists`), the e-Gov 法令XML and the
//! FEFTA translation memory (`sekisho-rules`).
//!
//! - **Strict**: syntax errors, mismatched or unclosed tags (a truncated file), text outside
//!   the root, a second root and a missing root are all [`XmlError`]s with the byte offset
//!   and line of the fault and the element it was in, so a caller can name file and line.
//! - **In document order**: an element keeps the text before its first child element
//!   ([`Element::text`], all of the text of a field) and then its child elements and the
//!   runs of text after them in order ([`Node`]), so mixed content (an e-Gov sentence with
//!   ruby between runs of text) reads as written ([`Element::deep_text`]). Adjacent text and
//!   CDATA form one run; white space with a line break and nothing else is layout and is
//!   not kept.
//! - **Borrowing**: names and text borrow from the input where they can. The UN file has
//!   60 000 elements, and allocating for each made parsing ten times slower than reading
//!   the XML.
//!
//! ```
//! let root = sekisho_xml::parse(b"<law><title>\xe5\xa4\x96\xe7\x82\xba\xe6\xb3\x95</title><p>a <b>bold</b> word</p></law>").unwrap();
//! assert_eq!(root.child_text("title"), Some("外為法"));
//! assert_eq!(root.child("p").unwrap().deep_text(&[]), "a bold word");
//! let err = sekisho_xml::parse(b"<law>\n<title>").unwrap_err();
//! assert_eq!((err.line, err.element.as_deref()), (2, Some("title")));
//! ```

use std::borrow::Cow;
use std::cell::RefCell;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One XML element: name, attributes, its content in document order, and where it starts.
#[derive(Debug)]
pub struct Element<'a> {
    pub name: Cow<'a, str>,
    pub attributes: Vec<(String, String)>,
    /// The text before the first child element (all the text of an element without any).
    /// Kept here rather than as a first [`Node`] so that a field costs no allocation.
    pub text: Cow<'a, str>,
    /// The child elements and the runs of text after them, in order.
    pub children: Vec<Node<'a>>,
    /// Byte offset of the start tag.
    pub offset: usize,
    /// Line of the start tag, from 1.
    pub line: usize,
}

/// A child of an element: an element or a run of text.
#[derive(Debug)]
pub enum Node<'a> {
    Element(Element<'a>),
    Text(Cow<'a, str>),
}

impl<'a> Element<'a> {
    /// The child elements, in order.
    pub fn elements<'s>(&'s self) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The child elements named `name`, in order.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.elements().find(|e| e.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The trimmed [`Element::text`], `None` when blank.
    pub fn non_blank_text(&self) -> Option<&str> {
        let text = self.text.trim();
        (!text.is_empty()).then_some(text)
    }

    /// The trimmed text of the first child of that name, `None` when absent or blank.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(Element::non_blank_text)
    }

    /// The text of this element and everything inside it, in order, leaving out the
    /// elements named in `skip` (e.g. ruby readings, `Rt`).
    pub fn deep_text(&self, skip: &[&str]) -> String {
        let mut out = String::new();
        self.collect_text(skip, &mut out);
        out
    }

    fn collect_text(&self, skip: &[&str], out: &mut String) {
        out.push_str(&self.text);
        for c in &self.children {
            match c {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if skip.contains(&e.name.as_ref()) => {}
                Node::Element(e) => e.collect_text(skip, out),
            }
        }
    }

    /// All elements named `name` below this one, in document order.
    pub fn descendants<'s>(&'s self, name: &str, out: &mut Vec<&'s Element<'a>>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            }
            e.descendants(name, out);
        }
    }
}

/// A structural fault: where (byte offset and line), in which element, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub offset: usize,
    pub line: usize,
    /// The innermost element open at the fault, if any.
    pub element: Option<String>,
    pub message: String,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for XmlError {}

/// Line numbers by byte offset. Offsets arrive in increasing order while parsing, so each
/// call counts only the line breaks since the previous one.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> usize {
        let end = offset.min(self.bytes.len());
        if end < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.offset..end]).count();
        self.offset = end;
        self.line
    }
}

/// Parses a whole document into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element<'_>, XmlError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let lines = RefCell::new(Lines { bytes, offset: 0, line: 1 });
    let line_at = |offset: usize| lines.borrow_mut().at(offset);
    let fail = |stack: &[Element], offset: usize, message: String| XmlError {
        offset,
        line: line_at(offset),
        element: stack.last().map(|e| e.name.to_string()),
        message,
    };
    loop {
        let offset = to_usize(reader.buffer_position());
        let event = reader.read_event().map_err(|e| fail(&stack, to_usize(reader.error_position()), e.to_string()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(fail(&stack, offset, format!("second root element <{name}>")));
            }
            Event::Start(start) => {
                let element = open(bytes, &start, offset, line_at(offset)).map_err(|m| fail(&stack, offset, m))?;
                stack.push(element);
            }
            Event::Empty(start) => {
                let element = open(bytes, &start, offset, line_at(offset)).map_err(|m| fail(&stack, offset, m))?;
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
                let text = text.unescape().map_err(|e| fail(&stack, offset, e.to_string()))?;
                // Point at the text itself, not at the line break before it.
                let at = offset + text.len() - text.trim_start().len();
                append_text(&mut stack, text).map_err(|m| fail(&stack, at, m))?;
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| fail(&stack, offset, e.to_string()))?;
                append_text(&mut stack, text).map_err(|m| fail(&stack, offset, m))?;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        let message = format!("file ends inside <{}> opened on line {}: truncated file or unclosed element", open.name, open.line);
        return Err(fail(&stack, bytes.len(), message));
    }
    root.ok_or_else(|| fail(&stack, 0, "no root element".into()))
}

fn to_usize(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

fn open<'a>(input: &'a [u8], start: &BytesStart<'_>, offset: usize, line: usize) -> Result<Element<'a>, String> {
    let raw = start.name();
    let raw = raw.as_ref();
    let not_utf8 = |_| "element name is not UTF-8".to_string();
    // The tag starts at `offset` with '<'; borrow the name from the input when it is there.
    let name = match input.get(offset + 1..offset + 1 + raw.len()) {
        Some(in_input) if in_input == raw => Cow::Borrowed(std::str::from_utf8(in_input).map_err(not_utf8)?),
        _ => Cow::Owned(std::str::from_utf8(raw).map_err(not_utf8)?.to_string()),
    };
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| format!("<{name}>: {e}"))?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let value = attribute.unescape_value().map_err(|e| format!("<{name}> attribute {key}: {e}"))?;
        attributes.push((key, value.into_owned()));
    }
    Ok(Element { name, attributes, text: Cow::Borrowed(""), children: Vec::new(), offset, line })
}

fn close<'a>(element: Element<'a>, stack: &mut [Element<'a>], root: &mut Option<Element<'a>>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

/// Adds a run of text to the open element, joined to a run just before it. White space
/// with a line break and nothing else is layout (the indentation between elements of a
/// pretty-printed file) and is dropped: keeping it doubled the nodes of the UN list and
/// made parsing it 60 % slower. A run of spaces between inline elements is kept.
fn append_text<'a>(stack: &mut [Element<'a>], text: Cow<'a, str>) -> Result<(), String> {
    match stack.last_mut() {
        Some(_) if text.trim().is_empty() && text.contains('\n') => Ok(()),
        Some(open) => {
            match open.children.last_mut() {
                None if open.text.is_empty() => open.text = text,
                None => open.text.to_mut().push_str(&text),
                Some(Node::Text(run)) => run.to_mut().push_str(&text),
                Some(Node::Element(_)) => open.children.push(Node::Text(text)),
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err("text outside the root element".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_content_reads_in_order_and_skips_what_is_asked() {
        let xml = "<s>外国<Ruby>為替<Rt>かわせ</Rt></Ruby>及び<![CDATA[外国]]>貿易法</s>".as_bytes();
        let root = parse(xml).unwrap();
        assert_eq!(root.deep_text(&["Rt"]), "外国為替及び外国貿易法");
        assert_eq!(root.deep_text(&[]), "外国為替かわせ及び外国貿易法");
        assert_eq!(root.text, "外国", "the run before the first child element");
        assert_eq!(root.children.len(), 2, "<Ruby>, then one run of text and CDATA");
    }

    #[test]
    fn names_and_plain_text_borrow_from_the_input() {
        let root = parse(b"<LIST>\n  <VALUE> 42 </VALUE>\n</LIST>").unwrap();
        let value = root.child("VALUE").unwrap();
        assert!(matches!(value.name, Cow::Borrowed(_)));
        assert!(matches!(value.text, Cow::Borrowed(_)));
        assert_eq!((root.child_text("VALUE"), value.line, value.offset), (Some("42"), 2, 9));
        assert_eq!(root.children.len(), 1, "the layout between elements is not kept");
        assert_eq!(root.non_blank_text(), None);
        let spaced = parse(b"<seg><b>dual</b> <i>use</i></seg>").unwrap();
        assert_eq!(spaced.deep_text(&[]), "dual use", "a space between inline elements is kept");
    }

    #[test]
    fn structural_faults_say_where() {
        let cases: [(&[u8], usize, Option<&str>, &str); 6] = [
            (b"<a>\n<b>\n</a>", 3, Some("b"), "expected `</b>`"),
            (b"<a>\n<b>x</b>\n", 3, Some("a"), "file ends inside <a> opened on line 1"),
            (b"<a/>\n<b/>", 2, None, "second root element <b>"),
            (b"<a/>\ntext", 2, None, "text outside the root element"),
            (b"<!-- nothing -->", 1, None, "no root element"),
            (b"<a>\n<b x=\"&nope;\"/></a>", 2, Some("a"), "<b> attribute x"),
        ];
        for (xml, line, element, message) in cases {
            let err = parse(xml).unwrap_err();
            assert_eq!((err.line, err.element.as_deref()), (line, element), "{err:?}");
            assert!(err.message.contains(message), "{err:?} lacks {message:?}");
        }
    }
}
