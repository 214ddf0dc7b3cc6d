//! Which column holds what: given by flags or found among common English and Japanese
//! headers; and each row turned into a screening query, or the reason it cannot be.

use std::path::Path;

use sekisho_match::Query;
use sekisho_match::normalize::fold;
use sekisho_model::Schema;

use crate::input::{HEADER_SEARCH_ROWS, Row, Table};
use crate::{Error, Result};

/// Headers recognised for each role, compared folded (case, width and punctuation
/// ignored) and without spaces; earlier entries win when a file has several.
const NAME: &[&str] = &[
    "name", "氏名・名称", "氏名又は名称", "氏名", "名称", "名前", "取引先名", "会社名", "商号", "顧客名",
    "法人名", "企業名", "full name", "customer name", "client name", "company name", "party name",
    "entity name", "counterparty name", "counterparty",
];
const ID: &[&str] = &[
    "id", "customer id", "client id", "顧客ID", "取引先コード", "顧客コード", "顧客番号", "取引先ID",
    "取引先番号", "管理番号", "番号", "customer no", "customer number", "party id", "counterparty id",
    "no", "code", "コード",
];
const COUNTRY: &[&str] = &[
    "country", "国名", "国", "所在国", "国・地域", "国籍", "所在地国", "country code", "nationality",
];
const SCHEMA: &[&str] = &["type", "schema", "種別", "区分", "個人・法人", "個人法人区分", "entity type", "party type", "kind"];
const BIRTH_DATE: &[&str] = &["birth date", "birth_date", "date of birth", "birthdate", "dob", "生年月日", "誕生日"];

/// Column headers the user named (`--name-column` and the rest, or the job's parameters);
/// the others are looked for among common headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnNames {
    pub name: Option<String>,
    pub id: Option<String>,
    pub country: Option<String>,
    pub schema: Option<String>,
    pub birth_date: Option<String>,
}

/// Column indexes by role.
#[derive(Debug)]
pub struct Columns {
    headers: Vec<String>,
    name: usize,
    id: Option<usize>,
    country: Option<usize>,
    schema: Option<usize>,
    birth_date: Option<usize>,
}

/// One input row, mapped: what the output repeats and what is screened.
pub struct Party {
    pub row: u64,
    pub id: String,
    pub name: String,
    /// The query, or why the row cannot be screened (naming the column).
    pub query: Result<Query, String>,
}

fn key(header: &str) -> String {
    fold(header).replace(' ', "")
}

impl Columns {
    /// Finds the header, the first of the first rows in which a name column is found (title
    /// rows above it, such as 取引先一覧 or a date, are skipped), makes the rows after it the
    /// data, and maps the columns. If no row has a name column, the first row's error is
    /// the one reported.
    pub fn locate(table: &mut Table, given: &ColumnNames) -> Result<Columns> {
        let path = table.path.clone();
        let found = (0..table.rows.len().min(HEADER_SEARCH_ROWS))
            .find_map(|i| Columns::resolve(&path, &table.rows[i].cells, given).ok().map(|c| (i, c)));
        let (header, columns) = match found {
            Some(found) => found,
            None => (0, Columns::resolve(&path, &table.rows[0].cells, given)?),
        };
        table.take_header(header);
        Ok(columns)
    }

    pub fn resolve(path: &Path, headers: &[String], given: &ColumnNames) -> Result<Columns> {
        let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
        let mut taken: Vec<usize> = Vec::new();
        let mut find = |flag: &str, given: Option<&str>, known: &[&str]| -> Result<Option<usize>> {
            let found = match given {
                Some(wanted) => {
                    let exact = headers.iter().position(|h| h == wanted.trim());
                    let found = exact.or_else(|| keys.iter().position(|k| *k == key(wanted)));
                    if found.is_none() {
                        return Err(Error::Columns(format!(
                            "{flag} {wanted:?}: {} has no such column; its columns are {headers:?}",
                            path.display()
                        )));
                    }
                    found
                }
                None => known
                    .iter()
                    .find_map(|k| (0..keys.len()).find(|&i| keys[i] == key(k) && !taken.contains(&i))),
            };
            taken.extend(found);
            Ok(found)
        };
        let name = find("--name-column", given.name.as_deref(), NAME)?;
        let id = find("--id-column", given.id.as_deref(), ID)?;
        let country = find("--country-column", given.country.as_deref(), COUNTRY)?;
        let schema = find("--schema-column", given.schema.as_deref(), SCHEMA)?;
        let birth_date = find("--birth-date-column", given.birth_date.as_deref(), BIRTH_DATE)?;
        let Some(name) = name else {
            return Err(Error::Columns(format!(
                "{}: no name column among {headers:?} (looked for headers such as name, 氏名, 名称, 氏名・名称, 会社名, 取引先名); name it with --name-column",
                path.display()
            )));
        };
        Ok(Columns { headers: headers.to_vec(), name, id, country, schema, birth_date })
    }

    /// `name = "氏名・名称", country = "国名"`, for telling the user what was used.
    pub fn describe(&self) -> String {
        [("name", Some(self.name)), ("id", self.id), ("country", self.country), ("schema", self.schema), ("birth date", self.birth_date)]
            .into_iter()
            .filter_map(|(role, col)| col.map(|c| format!("{role} = {:?}", self.headers[c])))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn as_json(&self) -> serde_json::Value {
        let header = |c: Option<usize>| c.map(|c| self.headers[c].clone());
        serde_json::json!({
            "name": self.headers[self.name], "id": header(self.id), "country": header(self.country),
            "schema": header(self.schema), "birth_date": header(self.birth_date),
        })
    }

    pub fn party(&self, row: &Row) -> Party {
        let cell = |c: Option<usize>| c.and_then(|c| row.cells.get(c)).map(String::as_str).unwrap_or("");
        let name = cell(Some(self.name)).to_string();
        let query = self.query(&name, &cell);
        Party { row: row.number, id: cell(self.id).to_string(), name, query }
    }

    fn query<'r>(&self, name: &str, cell: &impl Fn(Option<usize>) -> &'r str) -> Result<Query, String> {
        let field = |c: Option<usize>, why: String| format!("{}: {why}", c.map_or("", |c| self.headers[c].as_str()));
        if fold(name).is_empty() {
            return Err(field(Some(self.name), "empty name".into()));
        }
        let schema = match cell(self.schema) {
            "" => None,
            s => Some(schema_of(s).ok_or_else(|| {
                field(self.schema, format!("unknown type {s:?}: use 個人/法人, Person/Company, Organization, Vessel or Airplane"))
            })?),
        };
        let country = match cell(self.country) {
            "" => None,
            c if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => Some(c.to_ascii_uppercase()),
            c => Some(
                sekisho_model::country::to_iso2(c)
                    .ok_or_else(|| field(self.country, format!("{c:?} is not an ISO-2 code or a known country name")))?
                    .to_string(),
            ),
        };
        let birth_date = match cell(self.birth_date) {
            "" => None,
            d => Some(sekisho_lists::table::parse_date_text(d).map_err(|e| field(self.birth_date, e))?),
        };
        Ok(Query { name: name.to_string(), schema, country, birth_date, identifiers: vec![] })
    }
}

/// Party types as Japanese and English files write them.
fn schema_of(value: &str) -> Option<Schema> {
    Some(match key(value).as_str() {
        "個人" | "自然人" | "人" | "person" | "individual" | "naturalperson" | "p" => Schema::Person,
        "法人" | "会社" | "企業" | "company" | "corporation" | "corporate" | "business" | "c" => Schema::Company,
        "団体" | "組織" | "organization" | "organisation" | "org" => Schema::Organization,
        "船舶" | "船" | "vessel" | "ship" => Schema::Vessel,
        "航空機" | "aircraft" | "airplane" => Schema::Airplane,
        other => return Schema::parse(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn japanese_and_english_headers_are_found() {
        let p = Path::new("in.csv");
        let c = Columns::resolve(p, &headers(&["顧客ID", "氏名・名称", "国名", "区分", "生年月日"]), &ColumnNames::default()).unwrap();
        assert_eq!(c.describe(), "name = \"氏名・名称\", id = \"顧客ID\", country = \"国名\", schema = \"区分\", birth date = \"生年月日\"");
        let c = Columns::resolve(p, &headers(&["Customer_ID", "Company Name", "Country"]), &ColumnNames::default()).unwrap();
        assert_eq!(c.describe(), "name = \"Company Name\", id = \"Customer_ID\", country = \"Country\"");
        let err = Columns::resolve(p, &headers(&["a", "b"]), &ColumnNames::default()).unwrap_err().to_string();
        assert!(err.contains("no name column") && err.contains("--name-column"), "{err}");
        let given = ColumnNames { name: Some("b".into()), ..ColumnNames::default() };
        assert_eq!(Columns::resolve(p, &headers(&["a", "b"]), &given).unwrap().name, 1);
        let given = ColumnNames { country: Some("land".into()), ..ColumnNames::default() };
        let err = Columns::resolve(p, &headers(&["name", "b"]), &given).unwrap_err().to_string();
        assert!(err.contains("--country-column \"land\": in.csv has no such column"), "{err}");
    }

    #[test]
    fn rows_become_queries_or_name_the_bad_field() {
        let c = Columns::resolve(Path::new("x"), &headers(&["名称", "国", "種別", "生年月日"]), &ColumnNames::default()).unwrap();
        let party = |cells: &[&str]| c.party(&Row { number: 2, cells: headers(cells) });
        let q = party(&["キム・ジョンウン", "北朝鮮", "個人", "1984年1月8日"]).query.unwrap();
        assert_eq!((q.country.as_deref(), q.schema), (Some("KP"), Some(Schema::Person)));
        assert_eq!(q.birth_date.unwrap().to_string(), "1984-01-08");
        assert_eq!(party(&["ACME", "jp", "法人", ""]).query.unwrap().schema, Some(Schema::Company));
        assert_eq!(party(&["  ", "", "", ""]).query.unwrap_err(), "名称: empty name");
        assert!(party(&["A", "", "団体X", ""]).query.unwrap_err().starts_with("種別: unknown type \"団体X\""));
        assert!(party(&["A", "", "", "1990-13-45"]).query.unwrap_err().starts_with("生年月日: not a date"));
        assert!(party(&["A", "Atlantis", "", ""]).query.unwrap_err().starts_with("国: \"Atlantis\""));
    }
}
