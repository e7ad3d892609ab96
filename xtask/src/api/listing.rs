//! Which items of a crate are public, under which paths, and the markdown listing of them.
//!
//! The walk starts at the crate root and follows what a user can name: `pub` items, `pub mod`s
//! and `pub use`s (resolved to the definitions they name, globs included). Each definition is
//! rendered once, with the public members of its inherent `impl`s and the traits it
//! implements, wherever in the crate those `impl`s are; [`super::render`] turns items into text.

use std::collections::{BTreeMap, BTreeSet};

use syn::{Item, ItemImpl};

use super::TITLE;
use super::render::{self, Member, Rank};
use super::tree::{
    Crate, Gate, Impl, Leaf, Target, attrs, defined_name, is_hidden, is_pub, use_leaves,
};

/// One name a user can write: `path::name`.
#[derive(Debug)]
struct Export {
    /// The module path, starting with the crate (`tacet_session`, `codecs`).
    path: Vec<String>,
    name: String,
    what: What,
    gate: Gate,
}

#[derive(Debug)]
enum What {
    /// A definition of this crate.
    Def { module: usize, index: usize },
    /// A line listed as it is: a re-export from another crate, a `pub mod`, a macro call.
    Line(Rank, String),
}

/// One listed entry of a module section.
struct Listed {
    rank: Rank,
    name: String,
    text: String,
}

/// Sections: gate label (empty for the default API) -> module path -> entries.
type Sections = BTreeMap<String, BTreeMap<String, Vec<Listed>>>;

/// Walks the public names of a crate, from its root.
struct Walk<'a> {
    krate: &'a Crate,
    exports: Vec<Export>,
    /// (module, path) pairs already walked: globs and re-exported modules may loop.
    seen: BTreeSet<(usize, Vec<String>)>,
}

impl Walk<'_> {
    fn module(&mut self, module: usize, path: &[String], extra: &Gate) {
        if !self.seen.insert((module, path.to_vec())) {
            return;
        }
        let krate = self.krate;
        for (index, entry) in krate.modules[module].items.iter().enumerate() {
            let item = &entry.item;
            if is_hidden(attrs(item)) {
                continue;
            }
            let gate = union(&entry.gate, extra);
            match item {
                // A macro call in a public module may define public items: list the call.
                Item::Macro(m) if m.ident.is_none() => {
                    let text = render::macro_call(m);
                    self.line(path, &text, Rank::Macro, &text, gate);
                }
                Item::Mod(m) if is_pub(&m.vis) => {
                    let name = m.ident.to_string();
                    self.line(path, &name, Rank::Mod, &format!("pub mod {name};"), gate);
                    if let Some(&child) = krate.modules[module].children.get(&name) {
                        self.module(child, &join(path, &name), extra);
                    }
                }
                Item::Use(u) if is_pub(&u.vis) => {
                    for leaf in use_leaves(&u.tree, u.leading_colon.is_some()) {
                        self.reexport(module, path, &leaf, &gate);
                    }
                }
                _ => {
                    let public = super::tree::visibility(item).is_some_and(is_pub);
                    if let Some(name) = defined_name(item).filter(|_| public) {
                        self.exports.push(Export {
                            path: path.to_vec(),
                            name,
                            what: What::Def { module, index },
                            gate,
                        });
                    }
                }
            }
        }
    }

    /// A `pub use` leaf written in `module`, whose names appear under `path`.
    fn reexport(&mut self, module: usize, path: &[String], leaf: &Leaf, gate: &Gate) {
        let target = self.krate.resolve(module, &leaf.path);
        let written = leaf.path.join("::");
        let Some(binding) = &leaf.binding else {
            match target {
                Target::Module(id) => self.module(id, path, gate),
                Target::External(full) => {
                    let text = format!("pub use {}::*;", full.join("::"));
                    self.line(path, "*", Rank::Use, &text, gate.clone());
                }
                _ => {
                    let text = format!("pub use {written}::*;");
                    self.line(path, "*", Rank::Use, &text, gate.clone());
                }
            }
            return;
        };
        let line = |full: &str| match full.rsplit("::").next() {
            Some(last) if last == binding => format!("pub use {full};"),
            _ => format!("pub use {full} as {binding};"),
        };
        match target {
            Target::Item { module, index } => {
                let own = &self.krate.modules[module].items[index];
                if is_hidden(attrs(&own.item)) {
                    return;
                }
                self.exports.push(Export {
                    path: path.to_vec(),
                    name: binding.clone(),
                    what: What::Def { module, index },
                    gate: union(&own.gate, gate),
                });
            }
            Target::Module(id) => {
                let text = format!("pub mod {binding};");
                self.line(path, binding, Rank::Mod, &text, gate.clone());
                self.module(id, &join(path, binding), gate);
            }
            Target::External(full) => {
                let text = line(&full.join("::"));
                self.line(path, binding, Rank::Use, &text, gate.clone());
            }
            // An enum variant or a path this resolver cannot follow: list it as written.
            Target::Unknown => {
                let text = line(&written);
                self.line(path, binding, Rank::Use, &text, gate.clone());
            }
        }
    }

    fn line(&mut self, path: &[String], name: &str, rank: Rank, text: &str, gate: Gate) {
        self.exports.push(Export {
            path: path.to_vec(),
            name: name.to_owned(),
            what: What::Line(rank, text.to_owned()),
            gate,
        });
    }
}

/// The markdown listing of `krate`, whose package is `package` in directory `dir`.
pub(crate) fn markdown(krate: &Crate, package: &str, dir: &str) -> String {
    let root = package.replace('-', "_");
    let mut walk = Walk {
        krate,
        exports: Vec::new(),
        seen: BTreeSet::new(),
    };
    walk.module(0, std::slice::from_ref(&root), &Gate::new());
    let sections = sections(krate, walk.exports);

    let mut doc = format!(
        "{TITLE}{package}`\n\n\
         Generated by `cargo xtask api` from `{dir}/src` — do not edit by hand. After changing \
         the public API, run `cargo xtask api` and commit this file with the change; `cargo \
         xtask ci` fails while it is stale (`cargo xtask api --check`).\n\n\
         One section per public module, its items sorted by kind and name. Signatures only: \
         no bodies, no doc comments, private fields as `/* private fields */`. Each type comes \
         with the `pub` items of its inherent `impl`s and the traits it implements (derives \
         as its `#[derive]` list). An item reachable under several paths is listed under the \
         shortest; the others show as a `pub use` of it. Items behind a cargo feature or \
         another `cfg` are in the last sections. A macro call that may define public items \
         is listed as the call.\n"
    );
    // The default API first, then the features, then other cfgs, each by name.
    let mut sections: Vec<_> = sections.into_iter().collect();
    sections
        .sort_by_key(|(gate, _)| (!gate.is_empty(), !gate.starts_with("feature"), gate.clone()));
    for (gate, modules) in &sections {
        let level = if gate.is_empty() {
            "##"
        } else {
            doc.push_str(&format!("\n## Behind {gate}\n"));
            "###"
        };
        for (path, entries) in modules {
            doc.push_str(&format!("\n{level} `{path}`\n\n```rust\n"));
            // A blank line between kinds and around every entry of more than one line.
            let mut previous: Option<(Rank, bool)> = None;
            for entry in entries {
                let text = entry.text.trim_matches('\n');
                let multiline = text.contains('\n');
                if previous.is_some_and(|(rank, before)| rank != entry.rank || before || multiline)
                {
                    doc.push('\n');
                }
                doc.push_str(text);
                doc.push('\n');
                previous = Some((entry.rank, multiline));
            }
            doc.push_str("```\n");
        }
    }
    doc
}

/// Sorts the exports into sections: each definition rendered once, at its shortest path.
fn sections(krate: &Crate, exports: Vec<Export>) -> Sections {
    let mut out = Sections::new();
    let mut push = |gate: &Gate, path: &[String], listed: Listed| {
        out.entry(label(gate))
            .or_default()
            .entry(path.join("::"))
            .or_default()
            .push(listed);
    };

    let mut defs: BTreeMap<(usize, usize), Vec<Export>> = BTreeMap::new();
    for export in exports {
        match &export.what {
            What::Def { module, index } => defs.entry((*module, *index)).or_default().push(export),
            What::Line(rank, text) => push(
                &export.gate,
                &export.path,
                Listed {
                    rank: *rank,
                    name: export.name.clone(),
                    text: text.clone(),
                },
            ),
        }
    }

    let mut impls: BTreeMap<(usize, usize), Vec<Impl<'_>>> = BTreeMap::new();
    for found in krate.impls() {
        if let Target::Item { module, index } = found.owner
            && !is_hidden(&found.block.attrs)
        {
            impls.entry((module, index)).or_default().push(found);
        }
    }

    for (key, mut paths) in defs {
        // The canonical path: the least gated, then the shortest, then the first in order.
        paths.sort_by(|a, b| {
            (a.gate.len(), a.path.len(), &a.path, &a.name).cmp(&(
                b.gate.len(),
                b.path.len(),
                &b.path,
                &b.name,
            ))
        });
        paths.dedup_by(|a, b| a.path == b.path && a.name == b.name);
        // `defs` only holds definitions with at least one export.
        let canonical = &paths[0];
        let full = format!("{}::{}", canonical.path.join("::"), canonical.name);
        for alias in &paths[1..] {
            let text = if alias.name == canonical.name {
                format!("pub use {full};")
            } else {
                format!("pub use {full} as {};", alias.name)
            };
            let listed = Listed {
                rank: Rank::Use,
                name: alias.name.clone(),
                text,
            };
            push(&alias.gate, &alias.path, listed);
        }

        let item = &krate.modules[key.0].items[key.1].item;
        let (rank, text) = render::definition(item, &canonical.name);
        // Each impl member goes with the type when it needs no more than the type does, else
        // into the section of what it needs.
        let blocks: Vec<(ItemImpl, &Gate)> = impls
            .get(&key)
            .into_iter()
            .flatten()
            .map(|found| {
                let block = if found.of_owner {
                    render::renamed(found.block, &canonical.name)
                } else {
                    found.block.clone()
                };
                (block, found.gate)
            })
            .collect();
        let mut by_gate = impl_blocks(&blocks, &canonical.gate);
        let own = by_gate.remove(&canonical.gate).unwrap_or_default();
        let listed = Listed {
            rank,
            name: canonical.name.clone(),
            text: format!("{text}{own}"),
        };
        push(&canonical.gate, &canonical.path, listed);
        for (gate, text) in by_gate {
            let listed = Listed {
                rank,
                name: canonical.name.clone(),
                text,
            };
            push(&gate, &canonical.path, listed);
        }
    }

    for modules in out.values_mut() {
        for entries in modules.values_mut() {
            entries.sort_by(|a, b| (a.rank, &a.name, &a.text).cmp(&(b.rank, &b.name, &b.text)));
            entries.dedup_by(|a, b| a.text == b.text);
        }
    }
    out
}

/// The inherent `impl` blocks (merged when their headers are equal), then the trait impls,
/// of a type needing `base`, by what each needs (`base` and the `#[cfg]`s of the block and
/// of the member); each block is preceded by a blank line.
fn impl_blocks(blocks: &[(ItemImpl, &Gate)], base: &Gate) -> BTreeMap<Gate, String> {
    type Inherent = BTreeMap<String, (ItemImpl, Vec<Member>)>;
    let mut inherent: BTreeMap<Gate, Inherent> = BTreeMap::new();
    let mut traits: BTreeMap<Gate, BTreeSet<String>> = BTreeMap::new();
    for (block, gate) in blocks {
        let gate = union(base, gate);
        if block.trait_.is_some() {
            traits
                .entry(gate)
                .or_default()
                .insert(render::trait_impl(block));
            continue;
        }
        let header = render::impl_header(block);
        for member in &block.items {
            let Some(own) = render::member_gate(member) else {
                continue;
            };
            let Some(member) = render::public_member(member) else {
                continue;
            };
            inherent
                .entry(union(&gate, &own))
                .or_default()
                .entry(header.clone())
                .or_insert_with(|| (block.clone(), Vec::new()))
                .1
                .push(member);
        }
    }
    let mut out: BTreeMap<Gate, String> = BTreeMap::new();
    for (gate, headers) in inherent {
        let text = out.entry(gate).or_default();
        for (block, members) in headers.into_values() {
            text.push('\n');
            text.push_str(&render::inherent_impl(block, members));
        }
    }
    for (gate, lines) in traits {
        let text = out.entry(gate).or_default();
        text.push('\n');
        // One line each; a blank line around those with associated types.
        let mut previous_multiline = false;
        for (i, line) in lines.iter().enumerate() {
            let multiline = line.trim_end().contains('\n');
            if i > 0 && (multiline || previous_multiline) {
                text.push('\n');
            }
            text.push_str(line);
            previous_multiline = multiline;
        }
    }
    out
}

fn union(a: &Gate, b: &Gate) -> Gate {
    a.union(b).cloned().collect()
}

fn join(path: &[String], name: &str) -> Vec<String> {
    let mut out = path.to_vec();
    out.push(name.to_owned());
    out
}

/// "" for the default API, else "feature `a` and `cfg(fuzzing)`".
fn label(gate: &Gate) -> String {
    gate.iter().cloned().collect::<Vec<_>>().join(" and ")
}
