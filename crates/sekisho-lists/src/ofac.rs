//! OFAC's Specially Designated Nationals list in its legacy CSV layout.
//!
//! # The format
//!
//! Four CSV files without a header, one folder per publication; every empty field is
//! written `-0- ` (with its trailing space). OFAC's files are ASCII with CRLF (2021) or LF
//! (2019) line ends and often a DOS end-of-file byte (Ctrl-Z) after the last line.
//!
//! | file | columns |
//! |---|---|
//! | `sdn.csv` (required) | ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks |
//! | `add.csv` | ent_num, add_num, address, city/state/postal code, country, add_remarks |
//! | `alt.csv` | ent_num, alt_num, alt_type (`aka`, `fka`, `nka`), alt_name, alt_remarks |
//! | `sdn_comments.csv` | ent_num, the continuation of a Remarks field cut at 1000 characters |
//!
//! Files are told apart by name, and by their shape (field count, numeric ids, the SDN_Type
//! and alt_type vocabularies) when renamed; [`sniff`] uses the shape alone.
//!
//! # The mapping
//!
//! - One [`Entity`] per sdn.csv row: id `ofac-{ent_num}`, source `us_ofac_sdn`,
//!   source id ent_num, primary name as listed (`KIM, Jong Un`).
//! - SDN_Type `individual` → Person, `vessel` → Vessel, `aircraft` → Airplane, and `-0-`
//!   (OFAC's "entity") → Organization. OFAC says no more than "entity" (banks, companies,
//!   militias, ministries alike); guessing Company from legal-form words in the name would
//!   add a fact the list does not state, and matching treats all organisation schemata alike.
//! - Program `SDGT] [IRGC` → programmes `SDGT`, `IRGC`; Title → property `title`.
//! - Call_Sign → identifier CallSign; Vess_type, Tonnage, GRT, Vess_flag, Vess_owner →
//!   properties `type`, `tonnage`, `grossRegisteredTonnage`, `flag` (ISO-2 where the name
//!   resolves, as written otherwise; OFAC's "None Identified" is no flag), `owner`.
//! - alt.csv `aka`/`nka` → Alias, `fka` → PreviousName; an alt_remarks that calls the name
//!   weak or low quality makes it a WeakAlias.
//! - add.csv → [`Address`] (street, city as written with its postal code, country ISO-2).
//! - Remarks, with any sdn_comments.csv continuation appended, are kept whole as a note and
//!   read for the facts OFAC's grammar names (module `remarks`): birth dates and places,
//!   nationality, gender, identifiers, `Linked To:` (property `linkedTo`), websites and
//!   e-mail addresses, and quoted `a.k.a. 'X'`, which OFAC reserves for weak aliases.
//!
//! # What is an error
//!
//! The first malformed row stops the parse with a [`ParseError`] naming the file, the 1-based
//! line and the column, and nothing is returned: a wrong field count, an ent_num, add_num or
//! alt_num that is not a number, a duplicate ent_num, an empty SDN_Name or alt_name, an
//! SDN_Type or alt_type outside OFAC's vocabulary, and an add.csv or alt.csv row whose ent_num
//! is not in sdn.csv (the files come from different publications; importing them would
//! silently drop those addresses or names). A sdn_comments.csv row for an unknown ent_num is
//! skipped instead: the file is published on its own, and the real 2019 set carries rows
//! for entities designated years later; a continuation without its entity has nothing to
//! continue and loses nothing.
//!
//! ```no_run
//! let dir = std::path::Path::new("../shared/data/lists/ofac-sdn-2021");
//! let list = sekisho_lists::load(dir)?;
//! assert_eq!(list.source, "us_ofac_sdn");
//! # Ok::<(), sekisho_lists::Error>(())
//! ```

mod records;
mod remarks;

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use sekisho_model::{Address, Entity, Identifier, IdentifierKind, NameKind, Schema};

use crate::{Format, InputFile, Location, ParseError, Parsed};
use records::{Member, Row, alias_type, entity_type, first_records, for_each_row};

/// How many records [`sniff`] reads from the start of a file.
const SNIFF_RECORDS: usize = 3;

/// True for any member of the set (sdn.csv, add.csv, alt.csv, sdn_comments.csv), judged by
/// the shape of its first records, not its name.
pub fn sniff(file: &InputFile) -> bool {
    Member::from_records(&first_records(&file.bytes, SNIFF_RECORDS)).is_some()
}

/// Parses the files of one publication; sdn.csv is required, the others optional.
pub fn parse(files: &[InputFile]) -> Result<Parsed, ParseError> {
    let set = FileSet::identify(files)?;
    let mut list = SdnList::read(set.sdn)?;
    if let Some(file) = set.comments {
        list.read_comments(file)?;
    }
    if let Some(file) = set.aliases {
        list.read_aliases(file)?;
    }
    if let Some(file) = set.addresses {
        list.read_addresses(file)?;
    }
    Ok(Parsed {
        entities: list.finish(),
        list_date: None,
    })
}

/// The files of one publication, each in its role.
struct FileSet<'a> {
    sdn: &'a InputFile,
    addresses: Option<&'a InputFile>,
    aliases: Option<&'a InputFile>,
    comments: Option<&'a InputFile>,
}

impl<'a> FileSet<'a> {
    /// Assigns each file its role by its OFAC name, or by its shape when it is renamed.
    fn identify(files: &'a [InputFile]) -> Result<FileSet<'a>, ParseError> {
        // Indexed by `Member` in declaration order: sdn, add, alt, comments.
        let mut found: [Option<&InputFile>; 4] = [None; 4];
        for file in files {
            let member = Member::from_file_name(&file.file_name())
                .or_else(|| Member::from_records(&first_records(&file.bytes, SNIFF_RECORDS)))
                .ok_or_else(|| {
                    ParseError::new(
                        &file.path,
                        Location::File,
                        "not a file of the OFAC SDN CSV set (sdn.csv, add.csv, alt.csv, \
                         sdn_comments.csv)",
                    )
                })?;
            let slot = &mut found[member as usize];
            if let Some(first) = slot {
                let message = format!(
                    "a second {} in the set (the first is {})",
                    member.file_name(),
                    first.path.display()
                );
                return Err(ParseError::new(&file.path, Location::File, message));
            }
            *slot = Some(file);
        }
        let [sdn, addresses, aliases, comments] = found;
        let sdn = sdn.ok_or_else(|| {
            let dir = files
                .first()
                .and_then(|f| f.path.parent())
                .unwrap_or(std::path::Path::new(""));
            ParseError::new(
                dir.join("sdn.csv"),
                Location::File,
                "the OFAC SDN set needs sdn.csv",
            )
        })?;
        Ok(FileSet {
            sdn,
            addresses,
            aliases,
            comments,
        })
    }
}

/// The entities of sdn.csv while the other files are added to them.
struct SdnList {
    entities: Vec<Entity>,
    /// Remarks and their continuations, read only once all of them are in, because the
    /// cut at 1000 characters falls anywhere, even inside a quoted name.
    remarks: Vec<String>,
    by_ent_num: HashMap<u32, usize>,
    /// add.csv and alt.csv list an entity's rows together: the last lookup usually answers.
    last_lookup: Option<(u32, usize)>,
    countries: Countries,
}

impl SdnList {
    fn read(file: &InputFile) -> Result<SdnList, ParseError> {
        // One row a line in practice: sizing up front spares the copies of growing vectors.
        let rows = file.bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut list = SdnList {
            entities: Vec::with_capacity(rows),
            remarks: Vec::with_capacity(rows),
            by_ent_num: HashMap::with_capacity(rows),
            last_lookup: None,
            countries: Countries::default(),
        };
        for_each_row(file, Member::Sdn, |row| {
            let ent_num = row.number(0)?;
            let entity = sdn_entity(row, ent_num, &mut list.countries)?;
            match list.by_ent_num.entry(ent_num) {
                Entry::Occupied(_) => {
                    return Err(row.error(0, format!("ent_num {ent_num} appears twice")));
                }
                Entry::Vacant(slot) => slot.insert(list.entities.len()),
            };
            list.entities.push(entity);
            list.remarks
                .push(row.raw(11).unwrap_or_default().to_string());
            Ok(())
        })?;
        Ok(list)
    }

    fn read_comments(&mut self, file: &InputFile) -> Result<(), ParseError> {
        for_each_row(file, Member::Comments, |row| {
            let ent_num = row.number(0)?;
            // Unknown ent_num: skipped, see the module documentation.
            if let (Some(&index), Some(more)) = (self.by_ent_num.get(&ent_num), row.raw(1)) {
                // Appended as is: the cut can fall inside a word (`PROMO RAI` + `Z S.A.S.`).
                self.remarks[index].push_str(more);
            }
            Ok(())
        })
    }

    fn read_aliases(&mut self, file: &InputFile) -> Result<(), ParseError> {
        for_each_row(file, Member::Alias, |row| {
            let index = self.entity_index(row)?;
            row.number(1)?;
            let alt_type = row.get(2).and_then(alias_type).ok_or_else(|| {
                row.error(
                    2,
                    format!(
                        "expected aka, fka or nka, found {:?}",
                        row.get(2).unwrap_or("")
                    ),
                )
            })?;
            let name = row.required(3)?;
            let weak = row.get(4).is_some_and(says_weak);
            let kind = match alt_type {
                "fka" => NameKind::PreviousName,
                _ if weak => NameKind::WeakAlias,
                _ => NameKind::Alias,
            };
            self.entities[index].add_name(name, kind);
            Ok(())
        })
    }

    fn read_addresses(&mut self, file: &InputFile) -> Result<(), ParseError> {
        for_each_row(file, Member::Address, |row| {
            let index = self.entity_index(row)?;
            row.number(1)?;
            let (street, city, country) = (row.get(2), row.get(3), row.get(4));
            let mut full = String::new();
            for part in [street, city, country].into_iter().flatten() {
                if !full.is_empty() {
                    full.push_str(", ");
                }
                full.push_str(part);
            }
            let country = country.and_then(|name| self.countries.iso2(name));
            self.entities[index].add_address(Address {
                full,
                street: street.map(str::to_string),
                city: city.map(str::to_string),
                country: country.map(str::to_string),
                ..Address::default()
            });
            Ok(())
        })
    }

    /// The index of the entity an add.csv or alt.csv row belongs to.
    fn entity_index(&mut self, row: &Row<'_>) -> Result<usize, ParseError> {
        let ent_num = row.number(0)?;
        let index = match self.last_lookup {
            Some((last, index)) if last == ent_num => index,
            _ => *self
                .by_ent_num
                .get(&ent_num)
                .ok_or_else(|| row.error(0, format!("no sdn.csv entry has ent_num {ent_num}")))?,
        };
        self.last_lookup = Some((ent_num, index));
        Ok(index)
    }

    fn finish(mut self) -> Vec<Entity> {
        for (entity, text) in self.entities.iter_mut().zip(self.remarks) {
            if !text.trim().is_empty() {
                remarks::apply(entity, text, &mut self.countries);
            }
        }
        self.entities
    }
}

/// An entity from the columns of one sdn.csv row (all but Remarks).
fn sdn_entity(
    row: &Row<'_>,
    ent_num: u32,
    countries: &mut Countries,
) -> Result<Entity, ParseError> {
    let sdn_type = row.get(2).unwrap_or("");
    let schema = match entity_type(sdn_type) {
        Some(Some("individual")) => Schema::Person,
        Some(Some("vessel")) => Schema::Vessel,
        Some(Some("aircraft")) => Schema::Airplane,
        Some(_) => Schema::Organization,
        None => {
            let message =
                format!("expected individual, vessel, aircraft or -0-, found {sdn_type:?}");
            return Err(row.error(2, message));
        }
    };
    let ent_num = ent_num.to_string();
    let mut entity = Entity::new(
        format!("ofac-{ent_num}"),
        schema,
        Format::OfacSdnCsv.source(),
        &ent_num,
    );
    entity.add_name(row.required(1)?, NameKind::Primary);
    for program in row.get(3).into_iter().flat_map(|p| p.split(['[', ']'])) {
        entity.add_program(program);
    }
    if let Some(title) = row.get(4) {
        entity.add_property("title", title);
    }
    if let Some(call_sign) = row.get(5) {
        entity.add_identifier(Identifier {
            kind: IdentifierKind::CallSign,
            value: call_sign.to_string(),
            country: None,
            note: None,
        });
    }
    for (column, property) in [
        (6, "type"),
        (7, "tonnage"),
        (8, "grossRegisteredTonnage"),
        (10, "owner"),
    ] {
        if let Some(value) = row.get(column) {
            entity.add_property(property, value);
        }
    }
    if let Some(flag) = row.get(9) {
        remarks::add_flag(&mut entity, "flag", flag, countries);
    }
    Ok(entity)
}

/// Whether an alt_remarks marks its name as a weak alias (OFAC: "weak a.k.a.", UN style:
/// "low quality").
fn says_weak(remark: &str) -> bool {
    let lower = remark.to_ascii_lowercase();
    lower.contains("weak") || lower.contains("low quality")
}

/// Country names resolved once each: the list repeats a few hundred names tens of thousands
/// of times, and resolving one means normalising it against every spelling in the table.
#[derive(Default)]
struct Countries(HashMap<String, Option<&'static str>>);

impl Countries {
    fn iso2(&mut self, name: &str) -> Option<&'static str> {
        if let Some(&code) = self.0.get(name) {
            return code;
        }
        let code = sekisho_model::country::to_iso2(name);
        self.0.insert(name.to_string(), code);
        code
    }
}
