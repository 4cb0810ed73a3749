//! Aligned plain-text tables.

use std::io::{self, Write};

/// Longest cell shown; longer cells are cut with "…".
const MAX_CELL: usize = 60;

/// Writes `rows` under `headers`, columns padded to their widest cell (in characters).
pub fn write_table(out: &mut dyn Write, headers: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| shorten(c)).collect()).collect();
    write_cells(out, headers, &cells).map(drop)
}

/// Writes `cells` (already [`shorten`]ed) under `headers`, columns padded to their widest cell,
/// and returns the column widths, for rows written later under the same header.
pub(crate) fn write_cells(out: &mut dyn Write, headers: &[&str], cells: &[Vec<String>]) -> io::Result<Vec<usize>> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in cells {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    write_row(out, &header, &widths)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    write_row(out, &rule, &widths)?;
    for row in cells {
        write_row(out, row, &widths)?;
    }
    Ok(widths)
}

/// One row, each cell but the last padded to its column's width.
pub(crate) fn write_row(out: &mut dyn Write, row: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        let width = widths.get(i).copied().unwrap_or(0);
        if i + 1 == row.len() {
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.push_str(&" ".repeat(width.saturating_sub(cell.chars().count()) + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// One line, at most [`MAX_CELL`] characters.
pub fn shorten(cell: &str) -> String {
    let flat: String = cell.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX_CELL {
        flat
    } else {
        let cut: String = flat.chars().take(MAX_CELL - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_on_characters() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            &["id", "claim"],
            &[vec!["E1".into(), "é".into()], vec!["E10".into(), "b".into()]],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id   claim\n---  -----\nE1   é\nE10  b\n"
        );
    }
}
