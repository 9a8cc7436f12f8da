//! Embeds the shipped `knowledge/` and `config/` files into the binary so
//! `her2bot` works from any directory without them on disk.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut code = String::from(
        "/// Files embedded at build time: (path relative to the crate root, contents).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for dir in ["knowledge", "config"] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&root.join(dir), &mut files);
        files.sort();
        for path in files {
            let rel = path.strip_prefix(&root).expect("collected under root").to_string_lossy().replace('\\', "/");
            println!("cargo:rerun-if-changed={}", path.display());
            writeln!(code, "    ({rel:?}, include_str!({:?})),", path.display().to_string()).expect("write to String");
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(out, code).expect("write embedded.rs");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}
