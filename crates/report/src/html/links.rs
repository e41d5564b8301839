//! Links from the page to recordings: relative paths worked out from the strings alone
//! (no file system access, so the page stays a pure function of its input), percent-encoded.

/// The parts of a path: whether it is absolute, and its components with `.` dropped and
/// `x/..` folded (a leading `..` stays).
fn parts(p: &str) -> (bool, Vec<&str>) {
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    (p.starts_with('/'), out)
}

/// `target` as seen from the directory `from_dir` (both as given: relative to the same
/// working directory, or absolute). When that cannot be worked out from the strings (one is
/// absolute and the other not, or `from_dir` climbs out of the common part with `..`),
/// `target` itself: an absolute path still opens from a page on the file system.
pub fn relative(from_dir: &str, target: &str) -> String {
    let ((from_abs, from), (to_abs, to)) = (parts(from_dir), parts(target));
    if from_abs != to_abs {
        return target.to_owned();
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if from[common..].contains(&"..") {
        return target.to_owned();
    }
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    if out.is_empty() {
        ".".to_owned()
    } else {
        out.join("/")
    }
}

/// `path` for an `href`: every byte but unreserved characters and `/` percent-encoded (so
/// `#`, `?`, `%` and spaces in file names do not break the link). Escape it for HTML too.
pub fn url(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `href` of `file` (relative to the recording `dir`) from a page in `page_dir`.
pub fn href(page_dir: &str, dir: &str, file: &str) -> String {
    let target = if file.is_empty() {
        dir.to_owned()
    } else {
        format!("{}/{file}", dir.trim_end_matches('/'))
    };
    url(&relative(page_dir, &target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_from_the_page_directory() {
        assert_eq!(relative("out", "recordings/a"), "../recordings/a");
        assert_eq!(relative("", "recordings/a"), "recordings/a");
        assert_eq!(relative(".", "./recordings/a/"), "recordings/a");
        assert_eq!(relative("out/html", "out/rec/a"), "../rec/a");
        assert_eq!(relative("/srv/out", "/srv/rec/a"), "../rec/a");
        assert_eq!(relative("/srv/out", "/srv/out"), ".");
        assert_eq!(relative("a/../out", "rec"), "../rec");
        assert_eq!(relative("out", "../rec"), "../../rec");
    }

    #[test]
    fn paths_that_cannot_be_related_are_kept() {
        assert_eq!(relative("out", "/srv/rec/a"), "/srv/rec/a");
        assert_eq!(relative("/srv/out", "rec/a"), "rec/a");
        assert_eq!(relative("../out", "rec/a"), "rec/a");
    }

    #[test]
    fn hrefs_are_percent_encoded() {
        assert_eq!(url("rec/a b#1?%.csv"), "rec/a%20b%231%3F%25.csv");
        assert_eq!(url("µ"), "%C2%B5");
        assert_eq!(href("out", "rec/a/", "meta.toml"), "../rec/a/meta.toml");
        assert_eq!(href("out", "rec/a", ""), "../rec/a");
    }
}
