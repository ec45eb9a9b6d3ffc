//! Layout of the category and audience trees.
//!
//! Trees are stored as `parent_id`; everything else the API shows is derived here and stored
//! beside each row whenever the tree changes (rarely: sysadmins and importers):
//! `tree_id` (one per root, numbered in name order), `level`, `tree_position` (pre-order
//! index with siblings sorted by Finnish name), `subtree_end` (the last position inside the
//! node's subtree), and the cover image a hobby in the category falls back to (the nearest
//! ancestor-or-self image, data-model.md "Cover image fallback").

use std::collections::HashMap;

/// What the layout needs to know about one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub cover_image: Option<String>,
}

/// The derived values of one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeLayout {
    pub id: i64,
    pub tree_id: i64,
    pub level: i64,
    pub tree_position: i64,
    pub subtree_end: i64,
    /// Own image, else the nearest ancestor's.
    pub effective_cover_image: Option<String>,
    /// Tree position of the node whose image `effective_cover_image` is.
    pub effective_cover_position: Option<i64>,
}

/// Sibling order: by name, case-insensitively, then by the exact name and id so that the
/// order is total and the same on every backend.
fn sibling_key(node: &TreeNode) -> (String, String, i64) {
    (node.name.to_lowercase(), node.name.clone(), node.id)
}

/// One step of the iterative pre-order walk: the node, its level, the image it inherits
/// (path and position), and whether this is the visit that closes its subtree.
type Visit<'a> = (&'a TreeNode, i64, Option<(String, i64)>, bool);

/// Lays out a forest. Nodes whose parent is missing (or that sit in a cycle) become roots.
pub fn layout(nodes: &[TreeNode]) -> Vec<NodeLayout> {
    let by_id: HashMap<i64, &TreeNode> = nodes.iter().map(|n| (n.id, n)).collect();
    let reaches_root = |start: &TreeNode| {
        let mut seen = 0usize;
        let mut current = start.parent_id;
        while let Some(id) = current {
            match by_id.get(&id) {
                Some(parent) if seen <= nodes.len() => {
                    current = parent.parent_id;
                    seen += 1;
                }
                _ => return false,
            }
        }
        true
    };
    let effective_parent: HashMap<i64, Option<i64>> = nodes
        .iter()
        .map(|n| (n.id, if n.parent_id.is_some() && reaches_root(n) { n.parent_id } else { None }))
        .collect();
    let mut children: HashMap<Option<i64>, Vec<&TreeNode>> = HashMap::new();
    for node in nodes {
        children.entry(effective_parent[&node.id]).or_default().push(node);
    }
    for list in children.values_mut() {
        list.sort_by_key(|n| sibling_key(n));
    }

    let mut out: Vec<NodeLayout> = Vec::with_capacity(nodes.len());
    let mut position = 0i64;
    let roots = children.get(&None).cloned().unwrap_or_default();
    for (index, root) in roots.iter().enumerate() {
        let tree_id = index as i64 + 1;
        let mut stack: Vec<Visit> = vec![(root, 0, None, false)];
        let mut open: Vec<usize> = Vec::new();
        while let Some((node, level, inherited, closing)) = stack.pop() {
            if closing {
                let at = open.pop().expect("opened before closing");
                out[at].subtree_end = position;
                continue;
            }
            position += 1;
            let effective = match &node.cover_image {
                Some(image) if !image.is_empty() => Some((image.clone(), position)),
                _ => inherited,
            };
            open.push(out.len());
            out.push(NodeLayout {
                id: node.id,
                tree_id,
                level,
                tree_position: position,
                subtree_end: position,
                effective_cover_image: effective.as_ref().map(|(image, _)| image.clone()),
                effective_cover_position: effective.as_ref().map(|(_, pos)| *pos),
            });
            stack.push((node, level, None, true));
            if let Some(kids) = children.get(&Some(node.id)) {
                for kid in kids.iter().rev() {
                    stack.push((kid, level + 1, effective.clone(), false));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent: Option<i64>, name: &str, image: Option<&str>) -> TreeNode {
        TreeNode { id, parent_id: parent, name: name.into(), cover_image: image.map(Into::into) }
    }

    #[test]
    fn pre_order_with_siblings_by_name() {
        let nodes = vec![
            node(1, None, "Pallopelit", Some("ball.png")),
            node(2, Some(1), "Tennis", None),
            node(3, Some(1), "Jalkapallo", None),
            node(4, Some(3), "Futsal", Some("futsal.png")),
            node(5, None, "Bändit", None),
            node(6, None, "Askartelu", None),
        ];
        let layout = layout(&nodes);
        let order: Vec<i64> = layout.iter().map(|l| l.id).collect();
        assert_eq!(order, vec![6, 5, 1, 3, 4, 2]);
        let get = |id| layout.iter().find(|l| l.id == id).unwrap();
        assert_eq!((get(6).tree_id, get(5).tree_id, get(1).tree_id), (1, 2, 3));
        assert_eq!((get(1).level, get(3).level, get(4).level, get(2).level), (0, 1, 2, 1));
        assert_eq!(get(1).subtree_end, get(2).tree_position);
        assert_eq!(get(3).subtree_end, get(4).tree_position);
        assert_eq!(get(2).effective_cover_image.as_deref(), Some("ball.png"));
        assert_eq!(get(4).effective_cover_image.as_deref(), Some("futsal.png"));
        assert_eq!(get(4).effective_cover_position, Some(get(4).tree_position));
        assert_eq!(get(5).effective_cover_image, None);
    }

    #[test]
    fn cycles_and_missing_parents_become_roots() {
        let nodes = vec![node(1, Some(2), "A", None), node(2, Some(1), "B", None), node(3, Some(99), "C", None)];
        let layout = layout(&nodes);
        assert_eq!(layout.len(), 3);
        assert!(layout.iter().all(|l| l.level == 0));
    }
}
