//! The UI's language: Finnish when the browser's `Accept-Language` prefers it, English
//! otherwise. Texts are written in English in the code and looked up here; a title made of
//! a known prefix and a name ("Hobby Sulkapallo") translates its prefix.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fi,
}

impl Lang {
    /// The preferred of Finnish and English in an `Accept-Language` header.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for range in header.unwrap_or("").split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality =
                parts.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("fi") => Lang::Fi,
                Some("en") => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang).unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fi => "fi",
        }
    }

    pub fn tr(self, text: &str) -> String {
        if self == Lang::En {
            return text.to_owned();
        }
        if let Some(finnish) = finnish(text) {
            return finnish.to_owned();
        }
        // "Hobby Sulkapallo", "New promotion", "Delete the hobby X?"
        for (prefix, finnish_prefix) in PREFIXES {
            if let Some(rest) = text.strip_prefix(prefix) {
                return format!("{finnish_prefix}{rest}");
            }
        }
        text.to_owned()
    }
}

const PREFIXES: [(&str, &str); 21] = [
    ("Delete the hobby ", "Poista harrastus "),
    ("Delete the category ", "Poista kategoria "),
    ("Delete the audience ", "Poista kohderyhmä "),
    ("Delete the organizer ", "Poista järjestäjä "),
    ("Delete the location ", "Poista paikka "),
    ("Delete the municipality ", "Poista kunta "),
    ("Hobby ", "Harrastus "),
    ("Category ", "Kategoria "),
    ("Audience ", "Kohderyhmä "),
    ("Location ", "Paikka "),
    ("Organizer ", "Järjestäjä "),
    ("Municipality ", "Kunta "),
    ("Promotion ", "Etu "),
    ("User ", "Käyttäjä "),
    ("API token ", "API-avain "),
    ("Delete the event of ", "Poista tapahtuma "),
    ("Delete the promotion ", "Poista etu "),
    ("Delete ", "Poista "),
    ("Remove ", "Poista "),
    ("Redeemed ", "Lunastettu "),
    ("Add a sub", "Lisää alakategoria: "),
];

fn finnish(text: &str) -> Option<&'static str> {
    Some(match text {
        "Administration" => "Ylläpito",
        "Users" => "Käyttäjät",
        "API tokens" => "API-avaimet",
        "Municipalities" => "Kunnat",
        "Categories" => "Kategoriat",
        "Audiences" => "Kohderyhmät",
        "Organizers" => "Järjestäjät",
        "Locations" => "Paikat",
        "Hobbies" => "Harrastukset",
        "Promotions" => "Edut",
        "Benefits" => "Lunastukset",
        "Hobby categories" => "Harrastuskategoriat",
        "Hobby audiences" => "Kohderyhmät",
        "Benefits (redemptions)" => "Lunastetut edut",
        "Sign out" => "Kirjaudu ulos",
        "Search" => "Hae",
        "Save" => "Tallenna",
        "Add" => "Lisää",
        "Delete…" => "Poista…",
        "found." => "löytyi.",
        "Previous page" => "Edellinen sivu",
        "Next page" => "Seuraava sivu",
        "Yes, delete" => "Kyllä, poista",
        "No, go back" => "Ei, palaa",
        "This also:" => "Samalla:",
        "None." => "Ei yhtään.",
        "Action" => "Toiminto",
        "Back" => "Takaisin",
        "The key is shown only now; the service keeps only its digest:" => {
            "Avain näytetään vain nyt; palvelu säilyttää vain sen tiivisteen:"
        }
        "New user" => "Uusi käyttäjä",
        "New organizer" => "Uusi järjestäjä",
        "New location" => "Uusi paikka",
        "New hobby" => "Uusi harrastus",
        "New municipality" => "Uusi kunta",
        "New promotion" => "Uusi etu",
        "New API token" => "Uusi API-avain",
        "New category" => "Uusi kategoria",
        "New audience" => "Uusi kohderyhmä",
        "API token created" => "API-avain luotu",
        "Name" => "Nimi",
        "Username" => "Käyttäjätunnus",
        "Password" => "Salasana",
        "New password" => "Uusi salasana",
        "Set password" => "Aseta salasana",
        "First name" => "Etunimi",
        "Last name" => "Sukunimi",
        "Email" => "Sähköposti",
        "Active" => "Aktiivinen",
        "Active (may sign in and use tokens)" => "Aktiivinen (voi kirjautua ja käyttää avaimia)",
        "Staff" => "Henkilökuntaa",
        "Superuser" => "Pääkäyttäjä",
        "Superuser (every right, these pages)" => "Pääkäyttäjä (kaikki oikeudet, nämä sivut)",
        "User" => "Käyttäjä",
        "Key starts" => "Avaimen alku",
        "Created" => "Luotu",
        "Last used" => "Viimeksi käytetty",
        "Moderators" => "Moderaattorit",
        "Add a moderator" => "Lisää moderaattori",
        "Add moderator" => "Lisää moderaattori",
        "Name in Finnish" => "Nimi suomeksi",
        "Name in English" => "Nimi englanniksi",
        "Name in Swedish" => "Nimi ruotsiksi",
        "Name (fi)" => "Nimi (fi)",
        "Name (en)" => "Nimi (en)",
        "Name (sv)" => "Nimi (sv)",
        "YSO id" => "YSO-tunniste",
        "Parent" => "Yläkategoria",
        "(at the root)" => "(ylimmällä tasolla)",
        "Subcategories" => "Alakategoriat",
        "Cover image" => "Kansikuva",
        "Stored image" => "Tallennettu kuva",
        "A JPEG, PNG, WebP or GIF file" => "JPEG-, PNG-, WebP- tai GIF-tiedosto",
        "Upload" => "Lähetä",
        "Remove the image" => "Poista kuva",
        "Source" => "Lähde",
        "Address" => "Osoite",
        "Street address" => "Katuosoite",
        "Postal code" => "Postinumero",
        "City" => "Kaupunki",
        "Latitude (WGS 84)" => "Leveysaste (WGS 84)",
        "Longitude (WGS 84)" => "Pituusaste (WGS 84)",
        "Latitude, longitude" => "Leveys, pituus",
        "Description" => "Kuvaus",
        "Location" => "Paikka",
        "Organizer" => "Järjestäjä",
        "Municipality" => "Kunta",
        "Price" => "Hinta",
        "Price type" => "Hintatyyppi",
        "Price (euros)" => "Hinta (euroa)",
        "(none)" => "(ei mitään)",
        "free" => "maksuton",
        "annual" => "vuosimaksu",
        "seasonal" => "kausimaksu",
        "one time" => "kertamaksu",
        "paid" => "maksullinen",
        "(choose)" => "(valitse)",
        "Events" => "Tapahtumat",
        "Start date" => "Alkupäivä",
        "Start time" => "Alkuaika",
        "End date" => "Loppupäivä",
        "End time" => "Loppuaika",
        "Add event" => "Lisää tapahtuma",
        "Valid" => "Voimassa",
        "Used / available" => "Käytetty / saatavilla",
        "Valid from (date)" => "Voimassa alkaen (päivä)",
        "Valid from (time)" => "Voimassa alkaen (aika)",
        "Valid until (date)" => "Voimassa asti (päivä)",
        "Valid until (time)" => "Voimassa asti (aika)",
        "Redemptions available" => "Lunastuksia saatavilla",
        "Promotion" => "Etu",
        "Redeemed at" => "Lunastettu",
        "Id" => "Tunniste",
        _ => return None,
    })
}
