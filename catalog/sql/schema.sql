-- The demo shop's schema. Every rule the data must obey lives here, so no code path can break it:
-- money is integer cents (never negative), stock never drops below zero, order totals add up, and a
-- tool call's idempotency key is unique per customer.

CREATE TABLE category (
    id      TEXT PRIMARY KEY CHECK (id GLOB '[a-z]*' AND length(id) <= 40),
    name_en TEXT NOT NULL CHECK (length(name_en) > 0),
    name_de TEXT NOT NULL CHECK (length(name_de) > 0)
) STRICT;

-- How an item ships: a flat fee, waived when the order's goods (after discount) reach the threshold.
CREATE TABLE shipping_profile (
    id                       TEXT PRIMARY KEY,
    shipping_cents           INTEGER NOT NULL CHECK (shipping_cents >= 0),
    free_shipping_from_cents INTEGER CHECK (free_shipping_from_cents IS NULL OR free_shipping_from_cents >= 0),
    delivery_days            INTEGER NOT NULL CHECK (delivery_days BETWEEN 0 AND 60),
    note_en                  TEXT NOT NULL,
    note_de                  TEXT NOT NULL
) STRICT;

CREATE TABLE product (
    id                       TEXT PRIMARY KEY CHECK (id GLOB 'SKU-[A-Z0-9]*' AND length(id) <= 40),
    category_id              TEXT NOT NULL REFERENCES category(id),
    name_en                  TEXT NOT NULL CHECK (length(name_en) > 0),
    name_de                  TEXT NOT NULL CHECK (length(name_de) > 0),
    description_en           TEXT NOT NULL,
    description_de           TEXT NOT NULL,
    price_cents              INTEGER NOT NULL CHECK (price_cents >= 0),
    stock                    INTEGER NOT NULL CHECK (stock >= 0),
    shipping_profile_id      TEXT NOT NULL REFERENCES shipping_profile(id)
) STRICT;

CREATE INDEX product_category ON product(category_id, price_cents);

-- Full-text index over names and descriptions in both languages. `remove_diacritics 2` folds
-- "Kopfhörer" and "kopfhorer" to the same token. Kept in sync by the triggers below; stock changes do
-- not touch it.
CREATE VIRTUAL TABLE product_fts USING fts5(
    product_id UNINDEXED,
    name_en,
    name_de,
    description_en,
    description_de,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER product_fts_insert AFTER INSERT ON product BEGIN
    INSERT INTO product_fts(product_id, name_en, name_de, description_en, description_de)
    VALUES (new.id, new.name_en, new.name_de, new.description_en, new.description_de);
END;

CREATE TRIGGER product_fts_update AFTER UPDATE OF id, name_en, name_de, description_en, description_de
ON product BEGIN
    DELETE FROM product_fts WHERE product_id = old.id;
    INSERT INTO product_fts(product_id, name_en, name_de, description_en, description_de)
    VALUES (new.id, new.name_en, new.name_de, new.description_en, new.description_de);
END;

CREATE TRIGGER product_fts_delete AFTER DELETE ON product BEGIN
    DELETE FROM product_fts WHERE product_id = old.id;
END;

CREATE TABLE customer (
    id      TEXT PRIMARY KEY CHECK (id GLOB 'CUST-[0-9]*'),
    name    TEXT NOT NULL CHECK (length(name) > 0),
    email   TEXT NOT NULL UNIQUE CHECK (email LIKE '%_@_%'),
    tier    TEXT NOT NULL CHECK (tier IN ('standard', 'silver', 'gold')),
    locale  TEXT NOT NULL CHECK (locale IN ('de', 'en')),
    address TEXT
) STRICT;

CREATE TABLE orders (
    id                 TEXT PRIMARY KEY CHECK (id GLOB 'ORD-[0-9][0-9][0-9][0-9][0-9][0-9]'),
    customer_id        TEXT NOT NULL REFERENCES customer(id),
    status             TEXT NOT NULL
                       CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
    -- The rate actually applied: the customer's tier, or black_friday inside the campaign window.
    pricing_tier       TEXT NOT NULL CHECK (pricing_tier IN ('standard', 'silver', 'gold', 'black_friday')),
    discount_percent   INTEGER NOT NULL CHECK (discount_percent BETWEEN 0 AND 100),
    subtotal_cents     INTEGER NOT NULL CHECK (subtotal_cents >= 0),
    discount_cents     INTEGER NOT NULL CHECK (discount_cents BETWEEN 0 AND subtotal_cents),
    shipping_cents     INTEGER NOT NULL CHECK (shipping_cents >= 0),
    total_cents        INTEGER NOT NULL
                       CHECK (total_cents = subtotal_cents - discount_cents + shipping_cents),
    shipping_address   TEXT,
    carrier            TEXT,
    tracking_number    TEXT,
    estimated_delivery TEXT CHECK (estimated_delivery IS NULL OR date(estimated_delivery) = estimated_delivery),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    -- Shipped goods have a tracking number; a cancelled order never does.
    CHECK (status NOT IN ('shipped', 'delivered') OR (carrier IS NOT NULL AND tracking_number IS NOT NULL)),
    CHECK (status <> 'cancelled' OR tracking_number IS NULL)
) STRICT;

CREATE INDEX orders_customer ON orders(customer_id, created_at);

CREATE TABLE order_line (
    order_id         TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL CHECK (line_no >= 1),
    product_id       TEXT NOT NULL REFERENCES product(id),
    quantity         INTEGER NOT NULL CHECK (quantity >= 1),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    line_total_cents INTEGER NOT NULL CHECK (line_total_cents = unit_price_cents * quantity),
    PRIMARY KEY (order_id, line_no)
) STRICT;

CREATE INDEX order_line_product ON order_line(product_id);

-- The first result of every side-effecting tool call, keyed by (customer, tool-call id). A replay of
-- the same id returns this row and changes nothing, also after a restart.
CREATE TABLE tool_call_result (
    customer_id  TEXT NOT NULL REFERENCES customer(id),
    call_id      TEXT NOT NULL CHECK (length(call_id) BETWEEN 1 AND 256),
    tool         TEXT NOT NULL CHECK (length(tool) > 0),
    request_json TEXT NOT NULL CHECK (json_valid(request_json)),
    result_json  TEXT NOT NULL CHECK (json_valid(result_json)),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (customer_id, call_id)
) STRICT;
