//! The MathML of an equation as a small owned tree, read once from math-core's output.
//!
//! The EPUB writes it back out, the PDF lowers it to typst maths and the plain-text form is read
//! from it, so the three outputs show the same equation.

use quick_xml::Reader;
use quick_xml::events::Event;

/// A MathML element or the text inside a token element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MathNode {
    /// An element such as `<mfrac>`, with its attributes in source order.
    Element {
        /// The local name, such as `mfrac`.
        name: String,
        /// The attributes, unescaped.
        attrs: Vec<(String, String)>,
        /// The children.
        children: Vec<MathNode>,
    },
    /// Text, unescaped.
    Text(String),
}

impl MathNode {
    /// Returns the element's name, or "" for text.
    pub fn name(&self) -> &str {
        match self {
            MathNode::Element { name, .. } => name,
            MathNode::Text(_) => "",
        }
    }

    /// Returns the value of an attribute.
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self {
            MathNode::Element { attrs, .. } => attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()),
            MathNode::Text(_) => None,
        }
    }

    /// Returns the children (none for text).
    pub fn children(&self) -> &[MathNode] {
        match self {
            MathNode::Element { children, .. } => children,
            MathNode::Text(_) => &[],
        }
    }

    /// Returns the text inside this node and its descendants.
    pub fn text(&self) -> String {
        match self {
            MathNode::Text(text) => text.clone(),
            MathNode::Element { children, .. } => children.iter().map(MathNode::text).collect(),
        }
    }

    /// Returns the text inside this node without MathML's invisible operators (function
    /// application, invisible times, separator and plus, U+2061–U+2064), which show nothing.
    pub fn shown_text(&self) -> String {
        self.text().chars().filter(|c| !('\u{2061}'..='\u{2064}').contains(c)).collect()
    }

    /// Returns how many elements deep the tree is.
    pub fn depth(&self) -> usize {
        1 + self.children().iter().map(MathNode::depth).max().unwrap_or(0)
    }
}

/// Reads MathML into a tree; returns `None` if it is not well-formed.
pub fn parse(mathml: &str) -> Option<MathNode> {
    let mut reader = Reader::from_str(mathml);
    let mut stack: Vec<MathNode> =
        vec![MathNode::Element { name: String::new(), attrs: Vec::new(), children: Vec::new() }];
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) => stack.push(element(&start)?),
            Event::Empty(start) => push(&mut stack, element(&start)?)?,
            Event::End(_) => {
                let done = stack.pop()?;
                push(&mut stack, done)?;
            }
            Event::Text(text) => {
                let text = text.xml_content().ok()?.into_owned();
                push(&mut stack, MathNode::Text(text))?;
            }
            Event::GeneralRef(reference) => {
                let text = match reference.resolve_char_ref().ok()? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&reference.decode().ok()?)?.to_string(),
                };
                push(&mut stack, MathNode::Text(text))?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop()?;
    if !stack.is_empty() {
        return None;
    }
    match &mut root {
        MathNode::Element { children, .. } if children.len() == 1 => children.pop(),
        _ => None,
    }
}

fn element(start: &quick_xml::events::BytesStart<'_>) -> Option<MathNode> {
    let name = String::from_utf8(start.local_name().as_ref().to_vec()).ok()?;
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.ok()?;
        let key = String::from_utf8(attr.key.as_ref().to_vec()).ok()?;
        let value = attr.unescape_value().ok()?.into_owned();
        attrs.push((key, value));
    }
    Some(MathNode::Element { name, attrs, children: Vec::new() })
}

/// Adds a node to the element on top of the stack, merging neighbouring text.
fn push(stack: &mut [MathNode], node: MathNode) -> Option<()> {
    let Some(MathNode::Element { children, .. }) = stack.last_mut() else { return None };
    match (children.last_mut(), node) {
        (Some(MathNode::Text(prev)), MathNode::Text(next)) => prev.push_str(&next),
        (_, node) => children.push(node),
    }
    Some(())
}

/// Writes the tree as XML, with `extra` attributes added to the root element.
pub fn write(node: &MathNode, extra: &[(&str, &str)], out: &mut String) {
    match node {
        MathNode::Text(text) => out.push_str(&quick_xml::escape::escape(text.as_str())),
        MathNode::Element { name, attrs, children } => {
            out.push('<');
            out.push_str(name);
            let attrs = attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain(extra.iter().copied());
            for (key, value) in attrs {
                out.push(' ');
                out.push_str(key);
                out.push_str("=\"");
                out.push_str(&quick_xml::escape::escape(value));
                out.push('"');
            }
            if children.is_empty() {
                out.push_str("/>");
                return;
            }
            out.push('>');
            for child in children {
                write(child, &[], out);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
    }
}

/// Makes MathML Core valid MathML 3 that readers set well; the PDF's lowering reads the same tree.
///
/// - MathML Core allows `displaystyle` and `scriptlevel` on any element, MathML 3 only on
///   `<mstyle>` (and `displaystyle` on `<math>` and `<mtable>`), so elsewhere they move to an
///   `<mstyle>` around the element.
/// - An accent written as a combining character (`\vec`'s U+20D7) becomes its spacing form (→),
///   which browsers place over the base rather than beside it.
/// - An empty `<mspace/>`, which has no width, is dropped.
/// - A superscript ring, `^\circ`, is a degree sign: `°` after its base, which screen readers say
///   as "degrees" and browsers set without an operator's space.
pub fn normalize(node: MathNode) -> MathNode {
    let MathNode::Element { name, attrs, children } = node else { return node };
    let mut children: Vec<MathNode> = children
        .into_iter()
        .filter(|child| !(child.name() == "mspace" && child.attr("width").is_none() && child.children().is_empty()))
        .map(normalize)
        .collect();
    if name == "mover"
        && attrs.iter().any(|(k, v)| k == "accent" && v == "true")
        && let Some(MathNode::Element { children: mark, .. }) = children.get_mut(1)
        && let [MathNode::Text(text)] = mark.as_mut_slice()
    {
        *text = text.chars().map(spacing_accent).collect();
    }
    if name == "msup" && children.len() == 2 && children[1].name() == "mo" && children[1].text() == "∘" {
        let degree = MathNode::Element {
            name: "mi".into(),
            attrs: vec![("mathvariant".into(), "normal".into())],
            children: vec![MathNode::Text("°".into())],
        };
        children.truncate(1);
        children.push(degree);
        return MathNode::Element { name: "mrow".into(), attrs, children };
    }
    let movable = |key: &str| match name.as_str() {
        "mstyle" | "math" => false,
        "mtable" => key == "scriptlevel",
        _ => key == "displaystyle" || key == "scriptlevel",
    };
    let (style, attrs): (Vec<_>, Vec<_>) = attrs.into_iter().partition(|(key, _)| movable(key));
    let element = MathNode::Element { name, attrs, children };
    if style.is_empty() {
        element
    } else {
        MathNode::Element { name: "mstyle".into(), attrs: style, children: vec![element] }
    }
}

/// Returns the spacing form of a combining accent.
fn spacing_accent(c: char) -> char {
    match c {
        '\u{20d7}' => '→',
        '\u{20d6}' => '←',
        '\u{20e1}' => '↔',
        '\u{300}' => '`',
        '\u{301}' => '´',
        '\u{302}' => 'ˆ',
        '\u{303}' => '˜',
        '\u{304}' | '\u{305}' => '¯',
        '\u{306}' => '˘',
        '\u{307}' => '˙',
        '\u{308}' => '¨',
        '\u{30a}' => '˚',
        '\u{30c}' => 'ˇ',
        c => c,
    }
}
