//! A crate's module tree read from its sources with `syn`, and the name resolution the listing
//! needs: which definition a `pub use` path or an `impl` self type names.
//!
//! This is not rustc's resolver. It knows the module tree (files and inline modules), the
//! items each module defines, its `use` declarations (named, renamed, grouped, globs) and the
//! path roots `crate`, `self` and `super`; a name it cannot find in the crate belongs to
//! another crate (`std`, `tacet_track`, ...). That is enough for ordinary library code, and a
//! path it cannot follow is listed as written instead of being dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use quote::ToTokens as _;
use syn::punctuated::Punctuated;
use syn::{Attribute, Item, ItemImpl, Meta, Token, Type, UseTree, Visibility};

/// The configurations an item needs beyond the default build, as labels (`feature \`serde\``,
/// `` `cfg(fuzzing)` ``); empty for the default public API.
pub(crate) type Gate = BTreeSet<String>;

/// Reads a source file; `None` when it does not exist. Tests pass sources from memory.
pub(crate) type Read<'a> = &'a dyn Fn(&Path) -> Option<String>;

/// One module: its items (test-only ones already dropped) and its child modules.
pub(crate) struct Module {
    pub(crate) parent: Option<usize>,
    pub(crate) children: BTreeMap<String, usize>,
    pub(crate) items: Vec<Entry>,
}

/// An item with the configuration it needs (its module's and its own `#[cfg]`s).
pub(crate) struct Entry {
    pub(crate) item: Item,
    pub(crate) gate: Gate,
}

/// What a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// An item of this crate: `modules[module].items[index]`.
    Item {
        module: usize,
        index: usize,
    },
    Module(usize),
    /// Something of another crate, by its full path.
    External(Vec<String>),
    /// An enum variant, an associated item, or a path that leads nowhere in the crate.
    Unknown,
}

/// How deep `use` chains and globs are followed before giving up (a cycle would never end).
const MAX_DEPTH: usize = 32;

/// A parsed crate; `modules[0]` is the crate root.
pub(crate) struct Crate {
    pub(crate) modules: Vec<Module>,
}

impl Crate {
    /// Reads the crate whose root file is `lib` (`src/lib.rs`), following `mod` declarations.
    pub(crate) fn load(read: Read<'_>, lib: &Path) -> Result<Self, String> {
        let text = read(lib).ok_or_else(|| format!("{}: cannot read", lib.display()))?;
        let file = syn::parse_file(&text).map_err(|e| format!("{}: {e}", lib.display()))?;
        let dir = lib.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut krate = Self {
            modules: Vec::new(),
        };
        let gate = gate_of(&file.attrs).unwrap_or_default();
        let place = Place {
            file: lib.to_path_buf(),
            dir,
        };
        krate.add(read, None, file.items, &place, &gate)?;
        Ok(krate)
    }

    /// Adds a module with `items`, declared in `parent`; returns its index.
    fn add(
        &mut self,
        read: Read<'_>,
        parent: Option<usize>,
        items: Vec<Item>,
        place: &Place,
        gate: &Gate,
    ) -> Result<usize, String> {
        let id = self.modules.len();
        self.modules.push(Module {
            parent,
            children: BTreeMap::new(),
            items: Vec::new(),
        });
        for mut item in items {
            // A test-only item is not part of any build a user gets.
            let Some(own) = gate_of(attrs(&item)) else {
                continue;
            };
            let mut gate: Gate = gate.union(&own).cloned().collect();
            if let Item::Mod(module) = &mut item {
                let name = module.ident.to_string();
                let (child_items, child_place, inner) = match module.content.take() {
                    Some((_, inline)) => (inline, place.inline(&name), Vec::new()),
                    None => {
                        let (file, child_place) = place.file_of(read, &name, &module.attrs)?;
                        (file.items, child_place, file.attrs)
                    }
                };
                // Inner attributes (`#![cfg(...)]` at the top of the file) gate the module too.
                let Some(inner_gate) = gate_of(&inner) else {
                    continue;
                };
                module.attrs.extend(inner);
                gate.extend(inner_gate);
                let child = self.add(read, Some(id), child_items, &child_place, &gate)?;
                self.modules[id].children.insert(name, child);
            }
            self.modules[id].items.push(Entry { item, gate });
        }
        Ok(id)
    }

    /// Resolves `segments` as written in module `from` (a `use` path or a type path).
    pub(crate) fn resolve(&self, from: usize, segments: &[String]) -> Target {
        self.resolve_at(from, segments, 0)
    }

    fn resolve_at(&self, from: usize, segments: &[String], depth: usize) -> Target {
        let Some((first, rest)) = segments.split_first() else {
            return Target::Module(from);
        };
        if depth > MAX_DEPTH {
            return Target::Unknown;
        }
        let mut at = match first.as_str() {
            // `::name` (a leading `::`) always names another crate.
            "" => return Target::External(rest.to_vec()),
            "crate" => Target::Module(0),
            "self" => Target::Module(from),
            "super" => self.modules[from]
                .parent
                .map_or(Target::Unknown, Target::Module),
            name => match self.lookup(from, name, depth, &mut BTreeSet::new()) {
                Some(target) => target,
                None => return Target::External(segments.to_vec()),
            },
        };
        for segment in rest {
            at = match at {
                Target::Module(id) => match segment.as_str() {
                    "super" => self.modules[id]
                        .parent
                        .map_or(Target::Unknown, Target::Module),
                    "self" => Target::Module(id),
                    name => self
                        .lookup(id, name, depth, &mut BTreeSet::new())
                        .unwrap_or(Target::Unknown),
                },
                Target::External(mut path) => {
                    path.push(segment.clone());
                    Target::External(path)
                }
                Target::Item { .. } | Target::Unknown => Target::Unknown,
            };
        }
        at
    }

    /// What `name` means inside `module`: a child module, an item defined there, a `use`
    /// binding, or a name brought in by a glob, in that order. `seen` holds the modules
    /// already searched for `name`, so that globs importing each other end.
    fn lookup(
        &self,
        module: usize,
        name: &str,
        depth: usize,
        seen: &mut BTreeSet<usize>,
    ) -> Option<Target> {
        if depth > MAX_DEPTH || !seen.insert(module) {
            return None;
        }
        let m = &self.modules[module];
        if let Some(&child) = m.children.get(name) {
            return Some(Target::Module(child));
        }
        if let Some(index) = m
            .items
            .iter()
            .position(|e| defined_name(&e.item).is_some_and(|n| n == name))
        {
            return Some(Target::Item { module, index });
        }
        let leaves: Vec<Leaf> = m
            .items
            .iter()
            .filter_map(|e| match &e.item {
                Item::Use(u) => Some(use_leaves(&u.tree, u.leading_colon.is_some())),
                _ => None,
            })
            .flatten()
            .collect();
        for leaf in &leaves {
            if leaf.binding.as_deref() == Some(name) {
                return Some(self.resolve_at(module, &leaf.path, depth + 1));
            }
        }
        for leaf in leaves.iter().filter(|l| l.binding.is_none()) {
            if let Target::Module(id) = self.resolve_at(module, &leaf.path, depth + 1)
                && let Some(found) = self.lookup(id, name, depth + 1, seen)
            {
                return Some(found);
            }
        }
        None
    }

    /// Every `impl` block of the crate with the item it belongs to in the listing: the type
    /// it is for when that is an item of the crate, else the crate's trait it implements
    /// (`impl Shape for u8`), else a type of the crate among the trait's arguments
    /// (`impl From<Mid> for String`).
    pub(crate) fn impls(&self) -> Vec<Impl<'_>> {
        let mut out = Vec::new();
        for (id, module) in self.modules.iter().enumerate() {
            for entry in &module.items {
                let Item::Impl(block) = &entry.item else {
                    continue;
                };
                let local = |path: Option<Vec<String>>| {
                    path.map(|p| self.resolve(id, &p))
                        .filter(|t| matches!(t, Target::Item { .. }))
                };
                let trait_path = block.trait_.as_ref().map(|(path, _)| path);
                let arguments = trait_path
                    .and_then(|p| p.segments.last())
                    .map(|segment| match &segment.arguments {
                        syn::PathArguments::AngleBracketed(args) => args
                            .args
                            .iter()
                            .filter_map(|a| match a {
                                syn::GenericArgument::Type(ty) => type_path(ty),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    })
                    .unwrap_or_default();
                let (owner, of_owner) = match local(type_path(&block.self_ty)) {
                    Some(target) => (target, true),
                    None => {
                        let trait_segments = trait_path
                            .map(|p| p.segments.iter().map(|s| s.ident.to_string()).collect());
                        let owner = local(trait_segments)
                            .or_else(|| arguments.into_iter().find_map(|a| local(Some(a))))
                            .unwrap_or(Target::Unknown);
                        (owner, false)
                    }
                };
                out.push(Impl {
                    owner,
                    of_owner,
                    block,
                    gate: &entry.gate,
                });
            }
        }
        out
    }
}

/// An `impl` block and the item it is listed with.
pub(crate) struct Impl<'a> {
    pub(crate) owner: Target,
    /// Whether the block is for the owner itself (else for another type, naming the owner
    /// as its trait or in the trait's arguments).
    pub(crate) of_owner: bool,
    pub(crate) block: &'a ItemImpl,
    pub(crate) gate: &'a Gate,
}

/// Where a module's source is: its file, and the directory its `mod child;` files are in.
struct Place {
    file: PathBuf,
    dir: PathBuf,
}

impl Place {
    /// `mod name { ... }` inside this module: its children live one directory further down.
    fn inline(&self, name: &str) -> Self {
        Self {
            file: self.file.clone(),
            dir: self.dir.join(name),
        }
    }

    /// Reads `mod name;`: `#[path = "..."]` when present, else `name.rs` or `name/mod.rs`.
    fn file_of(
        &self,
        read: Read<'_>,
        name: &str,
        attrs: &[Attribute],
    ) -> Result<(syn::File, Self), String> {
        let explicit = attrs.iter().find_map(|a| match &a.meta {
            Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        });
        let candidates = match explicit {
            // A `#[path]` file is relative to the declaring file's directory, and its own
            // children sit next to it, as for a `mod.rs`.
            Some(path) => {
                let base = self.file.parent().unwrap_or(Path::new(""));
                let file = base.join(path);
                let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
                vec![(file, dir)]
            }
            None => vec![
                (self.dir.join(format!("{name}.rs")), self.dir.join(name)),
                (self.dir.join(name).join("mod.rs"), self.dir.join(name)),
            ],
        };
        for (file, dir) in &candidates {
            if let Some(text) = read(file) {
                let parsed =
                    syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
                return Ok((
                    parsed,
                    Self {
                        file: file.clone(),
                        dir: dir.clone(),
                    },
                ));
            }
        }
        Err(format!(
            "{}: `mod {name};` but none of {} exists",
            self.file.display(),
            candidates
                .iter()
                .map(|(f, _)| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// One name a `use` declaration brings in: `binding` is `None` for a glob (`path::*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Leaf {
    pub(crate) binding: Option<String>,
    pub(crate) path: Vec<String>,
}

/// Flattens a use tree: `use a::{b, c::D as E, f::*}` gives `b`, `E` and the glob of `a::f`.
/// A leading `::` becomes an empty first segment, which [`Crate::resolve`] reads as external.
pub(crate) fn use_leaves(tree: &UseTree, leading_colon: bool) -> Vec<Leaf> {
    fn walk(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<Leaf>) {
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            UseTree::Name(n) if n.ident == "self" => {
                // `use a::{self}` binds `a` itself.
                if let Some(last) = prefix.last() {
                    out.push(Leaf {
                        binding: Some(last.clone()),
                        path: prefix.clone(),
                    });
                }
            }
            UseTree::Name(n) => {
                let mut path = prefix.clone();
                path.push(n.ident.to_string());
                out.push(Leaf {
                    binding: Some(n.ident.to_string()),
                    path,
                });
            }
            UseTree::Rename(r) => {
                let mut path = prefix.clone();
                path.push(r.ident.to_string());
                // `use x as _` brings a trait's methods into scope, no name.
                let binding = (r.rename != "_").then(|| r.rename.to_string());
                if binding.is_some() {
                    out.push(Leaf { binding, path });
                }
            }
            UseTree::Glob(_) => out.push(Leaf {
                binding: None,
                path: prefix.clone(),
            }),
            UseTree::Group(g) => {
                for tree in &g.items {
                    walk(tree, prefix, out);
                }
            }
        }
    }
    let mut prefix = if leading_colon {
        vec![String::new()]
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    walk(tree, &mut prefix, &mut out);
    out
}

/// The path of a type without its generic arguments (`Foo<'a>` gives `Foo`), looking through
/// references and parentheses; `None` for tuples, slices, trait objects and the like.
pub(crate) fn type_path(ty: &Type) -> Option<Vec<String>> {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let mut path: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if p.path.leading_colon.is_some() {
                path.insert(0, String::new());
            }
            Some(path)
        }
        Type::Reference(r) => type_path(&r.elem),
        Type::Paren(p) => type_path(&p.elem),
        Type::Group(g) => type_path(&g.elem),
        _ => None,
    }
}

/// The name an item defines in its module's namespace (modules and `use`s aside).
pub(crate) fn defined_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::Fn(i) => &i.sig.ident,
        Item::Static(i) => &i.ident,
        Item::Struct(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::TraitAlias(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Union(i) => &i.ident,
        _ => return None,
    };
    (ident != "_").then(|| ident.to_string())
}

/// An item's attributes (empty for the kinds that have none we care about).
pub(crate) fn attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// An item's visibility; `None` for kinds without one (impls, macros).
pub(crate) fn visibility(item: &Item) -> Option<&Visibility> {
    match item {
        Item::Const(i) => Some(&i.vis),
        Item::Enum(i) => Some(&i.vis),
        Item::Fn(i) => Some(&i.vis),
        Item::Mod(i) => Some(&i.vis),
        Item::Static(i) => Some(&i.vis),
        Item::Struct(i) => Some(&i.vis),
        Item::Trait(i) => Some(&i.vis),
        Item::TraitAlias(i) => Some(&i.vis),
        Item::Type(i) => Some(&i.vis),
        Item::Union(i) => Some(&i.vis),
        Item::Use(i) => Some(&i.vis),
        _ => None,
    }
}

/// `pub` and nothing narrower: `pub(crate)`, `pub(super)` and `pub(in ...)` are not public.
pub(crate) fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// `#[doc(hidden)]`: present for macros' sake, not part of the API a user is meant to see.
pub(crate) fn is_hidden(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| match &a.meta {
        Meta::List(list) if list.path.is_ident("doc") => list
            .tokens
            .to_string()
            .split(',')
            .any(|t| t.trim() == "hidden"),
        _ => false,
    })
}

/// A `#[cfg(...)]` predicate.
#[derive(Debug)]
enum Cfg {
    /// `test`, `feature = "x"`, `debug_assertions`, ...
    Atom(String),
    All(Vec<Self>),
    Any(Vec<Self>),
    Not(Box<Self>),
}

impl Cfg {
    fn from_meta(meta: &Meta) -> Self {
        let name = meta.path().to_token_stream().to_string().replace(' ', "");
        match meta {
            Meta::Path(_) => Self::Atom(name),
            Meta::NameValue(nv) => Self::Atom(format!("{name} = {}", nv.value.to_token_stream())),
            Meta::List(list) => {
                let inner: Vec<Self> = list
                    .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                    .map(|args| args.iter().map(Self::from_meta).collect())
                    .unwrap_or_default();
                match name.as_str() {
                    "all" => Self::All(inner),
                    "any" => Self::Any(inner),
                    "not" => Self::Not(Box::new(
                        inner.into_iter().next().unwrap_or(Self::All(Vec::new())),
                    )),
                    _ => Self::Atom(list.to_token_stream().to_string()),
                }
            }
        }
    }

    fn eval(&self, set: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Self::Atom(atom) => set(atom),
            Self::All(all) => all.iter().all(|c| c.eval(set)),
            Self::Any(any) => any.iter().any(|c| c.eval(set)),
            Self::Not(not) => !not.eval(set),
        }
    }

    fn atoms<'a>(&'a self, out: &mut BTreeSet<&'a str>) {
        match self {
            Self::Atom(atom) => {
                out.insert(atom);
            }
            Self::All(list) | Self::Any(list) => list.iter().for_each(|c| c.atoms(out)),
            Self::Not(not) => not.atoms(out),
        }
    }

    /// The section title part: "feature `x`" for one feature, "`cfg(...)`" otherwise.
    fn label(&self) -> String {
        match self {
            Self::Atom(atom) => match atom
                .strip_prefix("feature = \"")
                .and_then(|f| f.strip_suffix('"'))
            {
                Some(feature) => format!("feature `{feature}`"),
                None => format!("`cfg({atom})`"),
            },
            _ => format!("`cfg({})`", self.text()),
        }
    }

    fn text(&self) -> String {
        let list = |name: &str, items: &[Self]| {
            let inner: Vec<String> = items.iter().map(Self::text).collect();
            format!("{name}({})", inner.join(", "))
        };
        match self {
            Self::Atom(atom) => atom.clone(),
            Self::All(all) => list("all", all),
            Self::Any(any) => list("any", any),
            Self::Not(not) => format!("not({})", not.text()),
        }
    }
}

/// The gate of an item with these attributes; `None` when only a test build has it.
///
/// The predicate of its `#[cfg]`s is evaluated for the default build (every cfg off). True:
/// the item is in the default API. False, but true for some setting of the other cfgs with
/// `test` off: the item is gated, labelled by the predicate. False for every such setting:
/// test-only, and not part of any API a user gets.
pub(crate) fn gate_of(attrs: &[Attribute]) -> Option<Gate> {
    let mut preds: Vec<Cfg> = attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| a.parse_args::<Meta>().ok())
        .map(|m| Cfg::from_meta(&m))
        .collect();
    let pred = match preds.len() {
        0 => return Some(Gate::new()),
        1 => preds.remove(0),
        _ => Cfg::All(preds),
    };
    if pred.eval(&|_| false) {
        return Some(Gate::new());
    }
    let mut atoms = BTreeSet::new();
    pred.atoms(&mut atoms);
    atoms.remove("test");
    // Every setting of up to 12 cfgs; a longer predicate is simply taken as reachable.
    let atoms: Vec<&str> = atoms.into_iter().collect();
    let reachable = atoms.len() > 12
        || (0..1u32 << atoms.len()).any(|mask| {
            pred.eval(&|atom| {
                atoms
                    .iter()
                    .position(|a| *a == atom)
                    .is_some_and(|i| mask & (1 << i) != 0)
            })
        });
    reachable.then(|| Gate::from([pred.label()]))
}
