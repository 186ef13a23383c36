#!/usr/bin/env python3
"""Writes catalog/sql/seed.sql: the demo shop's data, deterministically (fixed seed, stdlib only).

Run from anywhere: python3 catalog/generator/generate_seed.py
The output is committed; rerunning must produce the same bytes.
"""
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "sql" / "seed.sql"
rng = random.Random(20241129)

CATEGORIES = [
    ("audio", "Audio", "Audio"),
    ("computing", "Computers & Accessories", "Computer & Zubehör"),
    ("phones", "Phones & Wearables", "Handys & Wearables"),
    ("home", "Home & Living", "Wohnen & Haushalt"),
    ("kitchen", "Kitchen", "Küche"),
    ("sports", "Sports & Outdoors", "Sport & Freizeit"),
    ("garden", "Garden & DIY", "Garten & Heimwerken"),
    ("toys", "Toys & Games", "Spielzeug & Spiele"),
]

# (category, code, English name, German name, English feature, German feature, base price cents)
BASE = {
    "audio": [
        ("Over-Ear Headphones", "Over-Ear-Kopfhörer", "closed back, 40 h battery", "geschlossen, 40 Std. Akku", 7999),
        ("In-Ear Earbuds", "In-Ear-Ohrhörer", "active noise cancelling", "aktive Geräuschunterdrückung", 5999),
        ("Bluetooth Speaker", "Bluetooth-Lautsprecher", "waterproof (IPX7)", "wasserdicht (IPX7)", 4999),
        ("Soundbar", "Soundbar", "Dolby Atmos, wireless subwoofer", "Dolby Atmos, kabelloser Subwoofer", 24999),
        ("Turntable", "Plattenspieler", "belt drive with built-in preamp", "Riemenantrieb mit Vorverstärker", 19999),
        ("Studio Microphone", "Studiomikrofon", "USB-C, cardioid pattern", "USB-C, Nierencharakteristik", 8999),
        ("Kids Headphones", "Kinderkopfhörer", "volume limited to 85 dB", "Lautstärke auf 85 dB begrenzt", 2499),
        ("DAB+ Radio", "DAB+-Radio", "alarm clock and FM", "Wecker und UKW", 6999),
    ],
    "computing": [
        ("Mechanical Keyboard", "Mechanische Tastatur", "hot-swappable switches", "wechselbare Schalter", 10999),
        ("Wireless Mouse", "Kabellose Maus", "silent clicks, 18 months battery", "leise Tasten, 18 Monate Batterie", 2999),
        ("27-inch Monitor", "27-Zoll-Monitor", "QHD, 165 Hz", "QHD, 165 Hz", 29999),
        ("USB-C Docking Station", "USB-C-Dockingstation", "two 4K outputs, 100 W charging", "zwei 4K-Ausgänge, 100 W Laden", 14999),
        ("Portable SSD 1 TB", "Externe SSD 1 TB", "1,050 MB/s, shock resistant", "1.050 MB/s, stoßfest", 11999),
        ("Laptop Stand", "Laptopständer", "aluminium, height adjustable", "Aluminium, höhenverstellbar", 3999),
        ("Webcam 1080p", "Webcam 1080p", "privacy shutter, dual microphones", "Sichtschutz, zwei Mikrofone", 5999),
        ("Laptop Sleeve", "Laptophülle", "water-repellent felt", "wasserabweisender Filz", 2499),
    ],
    "phones": [
        ("Smartwatch", "Smartwatch", "heart rate and GPS", "Herzfrequenz und GPS", 19999),
        ("Fitness Tracker", "Fitnessarmband", "sleep tracking, 14 days battery", "Schlafanalyse, 14 Tage Akku", 4999),
        ("Phone Case", "Handyhülle", "drop tested to 3 m", "Falltest aus 3 m", 1999),
        ("Power Bank 20,000 mAh", "Powerbank 20.000 mAh", "65 W fast charging", "65 W Schnellladen", 4499),
        ("Wireless Charger", "Kabelloses Ladegerät", "15 W Qi2", "15 W Qi2", 2999),
        ("Screen Protector", "Displayschutzfolie", "tempered glass, pack of 2", "gehärtetes Glas, 2 Stück", 1299),
        ("Car Phone Mount", "Kfz-Handyhalterung", "magnetic, one-hand use", "magnetisch, einhändig bedienbar", 2499),
        ("USB-C Cable 2 m", "USB-C-Kabel 2 m", "braided, 240 W", "geflochten, 240 W", 1499),
    ],
    "home": [
        ("Robot Vacuum", "Saugroboter", "laser navigation, self-emptying", "Lasernavigation, Absaugstation", 39999),
        ("Air Purifier", "Luftreiniger", "HEPA filter for 40 m²", "HEPA-Filter für 40 m²", 17999),
        ("Smart Bulb", "Smarte Glühbirne", "E27, warm to cool white", "E27, warmweiß bis kaltweiß", 1999),
        ("Duvet", "Bettdecke", "all-season, 135 × 200 cm", "Ganzjahresdecke, 135 × 200 cm", 7999),
        ("Floor Lamp", "Stehleuchte", "dimmable LED", "dimmbare LED", 8999),
        ("Bath Towel Set", "Badetuch-Set", "organic cotton, 4 pieces", "Bio-Baumwolle, 4 Teile", 3999),
        ("Steam Iron", "Dampfbügeleisen", "2,600 W, anti-calc", "2.600 W, Anti-Kalk", 4999),
        ("Wall Clock", "Wanduhr", "silent sweep movement", "lautloses Uhrwerk", 2999),
    ],
    "kitchen": [
        ("Espresso Machine", "Siebträgermaschine", "15 bar, steam wand", "15 bar, Milchaufschäumer", 34999),
        ("Kettle", "Wasserkocher", "1.7 l, temperature control", "1,7 l, Temperaturwahl", 4999),
        ("Chef's Knife", "Kochmesser", "forged steel, 20 cm", "geschmiedeter Stahl, 20 cm", 6999),
        ("Cast Iron Pan", "Gusseisenpfanne", "pre-seasoned, 28 cm", "voreingebrannt, 28 cm", 4999),
        ("Stand Mixer", "Küchenmaschine", "5 l bowl, 1,000 W", "5-l-Schüssel, 1.000 W", 29999),
        ("Coffee Grinder", "Kaffeemühle", "conical burrs, 40 settings", "Kegelmahlwerk, 40 Stufen", 8999),
        ("Storage Jars", "Vorratsgläser", "airtight, set of 6", "luftdicht, 6er-Set", 2999),
        ("Toaster", "Toaster", "two wide slots, bun warmer", "zwei breite Schlitze, Brötchenaufsatz", 3999),
    ],
    "sports": [
        ("Yoga Mat", "Yogamatte", "non-slip, 6 mm", "rutschfest, 6 mm", 2999),
        ("Running Shoes", "Laufschuhe", "cushioned, breathable mesh", "gedämpft, atmungsaktives Mesh", 11999),
        ("Hiking Backpack 30 l", "Wanderrucksack 30 l", "rain cover included", "mit Regenhülle", 8999),
        ("Dumbbell Set", "Hantelset", "adjustable 2–20 kg", "verstellbar 2–20 kg", 14999),
        ("Bicycle Helmet", "Fahrradhelm", "MIPS, rear light", "MIPS, Rücklicht", 7999),
        ("Water Bottle", "Trinkflasche", "insulated steel, 750 ml", "isolierter Edelstahl, 750 ml", 2499),
        ("Tent for Two", "Zelt für zwei", "1.9 kg, 3,000 mm hydrostatic head", "1,9 kg, 3.000 mm Wassersäule", 17999),
        ("Ski Goggles", "Skibrille", "anti-fog, UV400", "beschlagfrei, UV400", 5999),
    ],
    "garden": [
        ("Cordless Drill", "Akkubohrschrauber", "18 V, two batteries", "18 V, zwei Akkus", 12999),
        ("Garden Hose 25 m", "Gartenschlauch 25 m", "kink-free", "knickfrei", 3999),
        ("Lawn Mower", "Rasenmäher", "cordless, 40 cm cut", "Akku, 40 cm Schnittbreite", 32999),
        ("Pruning Shears", "Gartenschere", "bypass, hardened blade", "Bypass, gehärtete Klinge", 2499),
        ("Raised Bed", "Hochbeet", "larch wood, 120 × 60 cm", "Lärchenholz, 120 × 60 cm", 12999),
        ("Solar Path Lights", "Solar-Wegeleuchten", "set of 8, warm white", "8er-Set, warmweiß", 3499),
        ("Tool Box", "Werkzeugkoffer", "108 pieces", "108-teilig", 7999),
        ("Watering Can", "Gießkanne", "10 l, brass rose", "10 l, Messingbrause", 2999),
    ],
    "toys": [
        ("Building Blocks Set", "Bausteine-Set", "1,000 pieces, ages 6+", "1.000 Teile, ab 6 Jahren", 4999),
        ("Board Game", "Brettspiel", "2–5 players, 45 minutes", "2–5 Spieler, 45 Minuten", 3499),
        ("Wooden Train", "Holzeisenbahn", "52 pieces, beech wood", "52 Teile, Buchenholz", 5999),
        ("Plush Bear", "Plüschbär", "30 cm, machine washable", "30 cm, waschbar", 1999),
        ("Puzzle 1000", "Puzzle 1000", "1,000 pieces, Alpine lake", "1.000 Teile, Bergsee", 1699),
        ("Remote Control Car", "Ferngesteuertes Auto", "2.4 GHz, 25 km/h", "2,4 GHz, 25 km/h", 6999),
        ("Kids Scooter", "Kinderroller", "height adjustable, LED wheels", "höhenverstellbar, LED-Räder", 5999),
        ("Card Game", "Kartenspiel", "family classic, 108 cards", "Familienklassiker, 108 Karten", 999),
    ],
}

# (English, German, price factor in percent)
VARIANTS = [
    ("Black", "Schwarz", 100), ("White", "Weiß", 100), ("Blue", "Blau", 100), ("Green", "Grün", 100),
    ("Red", "Rot", 100), ("Grey", "Grau", 100), ("Beige", "Beige", 105), ("Gold Edition", "Goldedition", 130),
]
LINES = [("", ""), ("Pro", "Pro"), ("Lite", "Lite")]

ADJ = [
    ("Sturdy", "Robuste", "robust"), ("Elegant", "Elegante", "elegant"), ("Compact", "Kompakte", "kompakt"),
    ("Quiet", "Leise", "leise"), ("Premium", "Hochwertige", "hochwertig"), ("Everyday", "Alltagstaugliche", "alltagstauglich"),
]

SHIPPING = [
    # (id, shipping cents, free from cents, delivery days, note en, note de)
    ("standard", 499, 5000, 2, "Ships in 1–2 business days. Free shipping from €50.",
     "Versand in 1–2 Werktagen. Versandkostenfrei ab 50 €."),
    ("large", 690, 10000, 5, "Ships in 3–5 business days. Free shipping from €100.",
     "Versand in 3–5 Werktagen. Versandkostenfrei ab 100 €."),
    ("freight", 1990, None, 8, "Bulky item, delivered by freight carrier within 5–8 business days.",
     "Sperrgut, Lieferung per Spedition in 5–8 Werktagen."),
]

CATEGORY_CODE = {
    "audio": "AUD", "computing": "CMP", "phones": "PHN", "home": "HOM",
    "kitchen": "KIT", "sports": "SPO", "garden": "GAR", "toys": "TOY",
}


def q(s):
    """SQL string literal (the seed is static data; no user input ever reaches this file)."""
    return "'" + s.replace("'", "''") + "'" if s is not None else "NULL"


def n(v):
    return "NULL" if v is None else str(v)


products = []  # dicts
products.append(dict(
    id="SKU-2024-BF", category="audio",
    name_en="Premium Wireless Headphones", name_de="Premium Kabellose Kopfhörer",
    description_en="Over-ear Bluetooth headphones with adaptive noise cancelling, 30 hours of battery and "
                   "a foldable design. Our Black Friday deal.",
    description_de="Kabellose Over-Ear-Kopfhörer mit adaptiver Geräuschunterdrückung, 30 Stunden Akkulaufzeit "
                   "und faltbarem Design. Unser Black-Friday-Angebot.",
    price=8999, stock=23, profile="standard", shipping=499, free_from=5000,
))

for cat, _, _ in CATEGORIES:
    counter = 0
    for (en, de, feat_en, feat_de, base) in BASE[cat]:
        # Every base item in every variant, but only a few in the Pro/Lite lines: ~8 per base item × lines.
        combos = [(v, l) for l in LINES for v in VARIANTS]
        rng.shuffle(combos)
        for (v_en, v_de, factor), (l_en, l_de) in sorted(combos[:8], key=lambda c: (LINES.index(c[1]), VARIANTS.index(c[0]))):
            counter += 1
            line_factor = {"": 100, "Pro": 140, "Lite": 75}[l_en]
            price = base * factor * line_factor // 10000
            price = max(99, price - price % 100 + 99)  # shop prices end in .99
            adj_en, adj_de, adj_de_pred = ADJ[rng.randrange(len(ADJ))]
            name_en = " ".join(x for x in [en, l_en, v_en] if x)
            name_de = " ".join(x for x in [de, l_de, v_de] if x)
            ship = SHIPPING[2] if base >= 24999 else SHIPPING[rng.choice([0, 0, 1])]
            stock = rng.choice([0, 0, 3, 7, 12, 25, 40, 60, 120, 250])
            products.append(dict(
                id=f"SKU-{CATEGORY_CODE[cat]}-{counter:04d}", category=cat,
                name_en=name_en, name_de=name_de,
                description_en=f"{adj_en} {en.lower() if en[1:2].islower() else en} in {v_en.lower()}: {feat_en}.",
                description_de=f"{de} in {v_de}, {adj_de_pred} und langlebig: {feat_de}.",
                price=price, stock=stock, profile=ship[0], shipping=ship[1], free_from=ship[2],
            ))

FIRST = [("Anna", "Müller"), ("Jürgen", "Weiß"), ("Émilie", "Dubois"), ("Lukas", "Schäfer"), ("Sophie", "Bäcker"),
         ("Jonas", "Köhler"), ("Marie", "Groß"), ("Paul", "Hoffmann"), ("Lena", "Fuchs"), ("Felix", "Krüger"),
         ("Emma", "Wagner"), ("Noah", "Schröder"), ("Mia", "Lehmann"), ("Ben", "Günther"), ("Hannah", "Vogel"),
         ("Elias", "Jäger"), ("Lea", "Böhm"), ("Leon", "Wolf"), ("Clara", "Schulz"), ("Finn", "Hähnel")]
EN_NAMES = [("James", "Carter"), ("Olivia", "Bennett"), ("Liam", "O'Brien"), ("Ava", "Thompson"),
            ("Ethan", "Walsh"), ("Grace", "Miller"), ("Henry", "Clarke"), ("Isla", "Reid"),
            ("Jack", "Turner"), ("Chloe", "Evans")]
STREETS = ["Hauptstraße", "Schloßallee", "Gartenweg", "Bahnhofstraße", "Lindenstraße", "Am Mühlbach",
           "Königsplatz", "Rosenstraße"]
CITIES = ["10115 Berlin", "80331 München", "50667 Köln", "20095 Hamburg", "60311 Frankfurt am Main",
          "70173 Stuttgart", "04109 Leipzig", "01067 Dresden"]


def ascii_fold(s):
    return (s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
             .replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue").replace("É", "E").replace("é", "e")
             .replace("'", ""))


customers = []
people = [(f, l, "de") for f, l in FIRST] + [(f, l, "en") for f, l in EN_NAMES]
# The first three are fixed for docs and tests: a gold, a standard and a silver customer.
fixed_tiers = ["gold", "standard", "silver"]
order_people = [people[0], people[20], people[1]] + [p for i, p in enumerate(people) if i not in (0, 1, 20)]
for i, (first, last, locale) in enumerate(order_people, start=1):
    tier = fixed_tiers[i - 1] if i <= 3 else rng.choice(["standard", "standard", "standard", "silver", "silver", "gold"])
    address = f"{first} {last}, {STREETS[rng.randrange(len(STREETS))]} {rng.randint(1, 120)}, {CITIES[rng.randrange(len(CITIES))]}, DE"
    email = f"{ascii_fold(first).lower()}.{ascii_fold(last).lower()}@example.com"
    customers.append(dict(id=f"CUST-{i:04d}", name=f"{first} {last}", email=email, tier=tier, locale=locale,
                          address=address))

TIER_PERCENT = {"standard": 0, "silver": 5, "gold": 15, "black_friday": 25}
CARRIERS = [("DHL", "00340434{:010d}"), ("DPD", "0150{:010d}"), ("Hermes", "H10{:013d}"), ("UPS", "1Z999AA1{:08d}")]
STATES = ["pending", "paid", "paid", "shipped", "shipped", "delivered", "delivered", "delivered", "cancelled"]

by_id = {p["id"]: p for p in products}
orders = []
lines = []
order_no = 100000
for c in customers:
    for k in range(rng.randint(1, 5)):
        order_no += 1
        oid = f"ORD-{order_no:06d}"
        status = STATES[rng.randrange(len(STATES))]
        day = rng.randint(1, 22)
        created = f"2026-11-{day:02d}T{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}:00Z"
        if status == "delivered":
            created = f"2026-10-{day:02d}T{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}:00Z"
        chosen = rng.sample(products[1:], rng.randint(1, 3))
        subtotal = 0
        olines = []
        for ln, p in enumerate(chosen, start=1):
            qty = rng.choice([1, 1, 1, 2, 3])
            subtotal += p["price"] * qty
            olines.append((oid, ln, p["id"], qty, p["price"], p["price"] * qty))
        pct = TIER_PERCENT[c["tier"]]
        discount = (subtotal * pct + 50) // 100  # per order total, half-up to the cent
        goods = subtotal - discount
        shipping = max([0] + [p["shipping"] for p in chosen if p["free_from"] is None or goods < p["free_from"]])
        carrier = tracking = None
        eta = None
        if status in ("shipped", "delivered"):
            cname, fmt = CARRIERS[rng.randrange(len(CARRIERS))]
            carrier, tracking = cname, fmt.format(rng.randrange(10 ** 8))
        if status != "cancelled":
            base_day = int(created[8:10]) + rng.randint(2, 5)
            month = created[5:7]
            if base_day > 28:
                base_day -= 28
                month = f"{int(month) + 1:02d}"
            eta = f"2026-{month}-{base_day:02d}"
        orders.append(dict(id=oid, customer=c["id"], status=status, tier=c["tier"], pct=pct, subtotal=subtotal,
                           discount=discount, shipping=shipping, total=goods + shipping, address=c["address"],
                           carrier=carrier, tracking=tracking, eta=eta, created=created))
        lines.extend(olines)

out = ["-- Generated by catalog/generator/generate_seed.py (fixed seed). Do not edit; rerun the generator.",
       f"-- {len(products)} products, {len(customers)} customers, {len(orders)} orders.", ""]
out.append("INSERT INTO category (id, name_en, name_de) VALUES")
out.append(",\n".join(f"  ({q(a)}, {q(b)}, {q(c)})" for a, b, c in CATEGORIES) + ";")
out.append("")
out.append("INSERT INTO shipping_profile (id, shipping_cents, free_shipping_from_cents, delivery_days, note_en, "
           "note_de) VALUES")
out.append(",\n".join(f"  ({q(a)}, {b}, {n(c)}, {d}, {q(e)}, {q(f)})" for a, b, c, d, e, f in SHIPPING) + ";")
out.append("")
out.append("INSERT INTO product (id, category_id, name_en, name_de, description_en, description_de, price_cents, "
           "stock, shipping_profile_id) VALUES")
out.append(",\n".join(
    f"  ({q(p['id'])}, {q(p['category'])}, {q(p['name_en'])}, {q(p['name_de'])}, {q(p['description_en'])}, "
    f"{q(p['description_de'])}, {p['price']}, {p['stock']}, {q(p['profile'])})" for p in products) + ";")
out.append("")
out.append("INSERT INTO customer (id, name, email, tier, locale, address) VALUES")
out.append(",\n".join(
    f"  ({q(c['id'])}, {q(c['name'])}, {q(c['email'])}, {q(c['tier'])}, {q(c['locale'])}, {q(c['address'])})"
    for c in customers) + ";")
out.append("")
out.append("INSERT INTO orders (id, customer_id, status, pricing_tier, discount_percent, subtotal_cents, "
           "discount_cents, shipping_cents, total_cents, shipping_address, carrier, tracking_number, "
           "estimated_delivery, created_at, updated_at) VALUES")
out.append(",\n".join(
    f"  ({q(o['id'])}, {q(o['customer'])}, {q(o['status'])}, {q(o['tier'])}, {o['pct']}, {o['subtotal']}, "
    f"{o['discount']}, {o['shipping']}, {o['total']}, {q(o['address'])}, {q(o['carrier'])}, {q(o['tracking'])}, "
    f"{q(o['eta'])}, {q(o['created'])}, {q(o['created'])})" for o in orders) + ";")
out.append("")
out.append("INSERT INTO order_line (order_id, line_no, product_id, quantity, unit_price_cents, line_total_cents) VALUES")
out.append(",\n".join(f"  ({q(a)}, {b}, {q(c)}, {d}, {e}, {f})" for a, b, c, d, e, f in lines) + ";")
out.append("")
OUT.write_text("\n".join(out), encoding="utf-8")
print(f"wrote {OUT}: {len(products)} products, {len(customers)} customers, {len(orders)} orders, {len(lines)} lines")
