//! The check that generated typst holds no markup structure made of author text, which tests and
//! fuzzing run on every edition's source: the structural proof that escaping works.

/// Returns the markup structures in typst source that the writers never emit, as kind and text: a
/// list, numbered list, term list or heading in markup syntax, strong or emphasis by `*` and `_`, raw
/// text by backticks, a link by address, a reference, or an equation that is not the PDF writer's
/// or holds more than its lowering writes. Any found is author text that typst read as markup;
/// tests and fuzzing call this on generated source.
pub fn markup_structures(source: &str) -> Vec<String> {
    use typst::syntax::{LinkedNode, SyntaxKind};
    let root = typst::syntax::parse(source);
    let mut found = Vec::new();
    let mut stack = vec![LinkedNode::new(&root)];
    while let Some(node) = stack.pop() {
        if matches!(
            node.kind(),
            SyntaxKind::EnumItem
                | SyntaxKind::ListItem
                | SyntaxKind::TermItem
                | SyntaxKind::Heading
                | SyntaxKind::Strong
                | SyntaxKind::Emph
                | SyntaxKind::Raw
                | SyntaxKind::Link
                | SyntaxKind::Ref
        ) {
            found.push(format!("{:?} {:?}", node.kind(), node.get().full_text()));
        }
        if node.kind() == SyntaxKind::Equation {
            // The one place an equation may stand: `#std.math.equation(…, $…$.body)`, as the PDF
            // writer sets maths, holding only what the lowering writes.
            let call = node.parent().and_then(|access| access.parent()).and_then(|args| args.parent());
            let placed = call.is_some_and(|call| {
                call.kind() == SyntaxKind::FuncCall && call.get().full_text().starts_with("std.math.equation(")
            });
            if !placed {
                found.push(format!("{:?} {:?}", node.kind(), node.get().full_text()));
            }
            found.extend(crate::layout::math::foreign_structures(&node));
            continue;
        }
        stack.extend(node.children());
    }
    found
}
