"""Bulk casework: the pattern region's rows (cases, events, referrals, citizens, register, participation,
data updates, audit…, all made by the real operations) copied into every region with INSERT … SELECT,
as the owner role, as many copies as each region's share of `--cases` asks.

Every copy is remapped so it is a consistent region of its own:
* `tenant_id` → the region; ids of the region's structure (org units, posts, staff, memberships,
  SOP version, partners, programs) → the same item of the region (matched by key, e-mail or name);
  every other id → md5(id, copy), so references between copied rows still hold;
* district and village codes → the region's own (same rank); NIK/KK → the region's digits plus the copy;
  tickets → the region's prefix; unique tokens and serials made unique per copy;
* times shifted back by up to three days per copy (the pattern's 12 months stay 12 months).
Rollups are not copied: the app's rebuild recomputes them afterwards.
"""
from __future__ import annotations

import time

from sqlalchemy import text

#: Never copied: the app recomputes them (rollups), or a region has its own (onboarding made them).
DERIVED = {"case_rollups", "case_rollup_months", "citizen_programs", "household_programs", "program_rollups",
           "ticket_counters", "letter_counters", "export_batch_counters"}
#: Natural key matching the same structure row in another region.
NATURAL = {"org_units": "key", "positions": "key", "programs": "code", "sop_versions": "number"}
#: Matched by rank instead (their names carry the region's name).
RANKED = {"partners": "name"}

FUNCTIONS = """
CREATE TABLE IF NOT EXISTS bench_map (src uuid, tenant uuid, dst uuid, PRIMARY KEY (src, tenant));
CREATE TABLE IF NOT EXISTS bench_area (src text, tenant uuid, dst text, PRIMARY KEY (src, tenant));
CREATE TABLE IF NOT EXISTS bench_copies (tenant uuid, copy int, shift interval, prefix text, digits text,
                                         PRIMARY KEY (tenant, copy));
CREATE OR REPLACE FUNCTION bench_id(s uuid, t uuid, c int) RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT coalesce((SELECT dst FROM bench_map WHERE src = s AND tenant = t), md5(s::text || ':' || c)::uuid) $$;
CREATE OR REPLACE FUNCTION bench_code(s text, t uuid) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT coalesce((SELECT dst FROM bench_area WHERE src = s AND tenant = t), s) $$;
"""


def prepare(conn, pattern_id, pattern_slug: str, tenants: dict, copies: dict) -> None:
    """The id and area maps from the pattern region to every region, and the copies to make.

    `tenants`: {tenant id: (slug, region code, ticket prefix)}; `copies`: {tenant id: number of copies}.
    """
    for statement in FUNCTIONS.split(";\n"):
        if statement.strip():
            conn.execute(text(statement))
    conn.execute(text("TRUNCATE bench_map, bench_area, bench_copies"))
    rows = []
    for tenant_id, count in copies.items():
        _slug, code, prefix = tenants[tenant_id]
        # copy 0 is the pattern itself, in the pattern region only
        for copy in range(1, 1 + count - (1 if tenant_id == pattern_id else 0)):
            rows.append({"t": tenant_id, "c": copy, "m": (copy * 97) % 4320, "p": prefix,
                         "d": code.replace(".", "")[:4]})
    if rows:
        conn.execute(text("INSERT INTO bench_copies VALUES (:t, :c, make_interval(mins => :m), :p, :d)"), rows)
    # Staff: role@<pattern>.demo is role@<region>.demo; their memberships follow. (The pattern region's
    # own copies map its structure to itself.)
    conn.execute(text("""
        INSERT INTO bench_map SELECT pu.id, t.id, tu.id FROM users pu CROSS JOIN tenants t
          JOIN users tu ON tu.email = split_part(pu.email, '@', 1) || '@' || t.slug || '.demo'
        WHERE pu.email LIKE '%@' || :ps || '.demo'"""), {"ps": pattern_slug})
    conn.execute(text("""
        INSERT INTO bench_map SELECT pm.id, tm.tenant_id, tm.id FROM memberships pm
          JOIN bench_map u ON u.src = pm.user_id JOIN memberships tm ON tm.tenant_id = u.tenant AND tm.user_id = u.dst
        WHERE pm.tenant_id = :pid"""), {"pid": pattern_id})
    _map_areas(conn, tenants[pattern_id][1], pattern_id)
    for table, key in NATURAL.items():
        _add_missing(conn, table, key, pattern_id)
        conn.execute(text(f"""
            INSERT INTO bench_map SELECT p.id, t.tenant_id, t.id FROM "{table}" p JOIN "{table}" t
              ON t.{key} = p.{key} WHERE p.tenant_id = :pid"""), {"pid": pattern_id})
    for table, key in RANKED.items():
        conn.execute(text(f"""
            WITH r AS (SELECT tenant_id, id,
                              row_number() OVER (PARTITION BY tenant_id ORDER BY {key} COLLATE "C") AS n FROM "{table}")
            INSERT INTO bench_map SELECT p.id, t.tenant_id, t.id FROM r p JOIN r t ON t.n = p.n
            WHERE p.tenant_id = :pid"""), {"pid": pattern_id})
    conn.execute(text("ANALYZE bench_map, bench_area, bench_copies"))  # hash joins, not a probe per row


def _add_missing(conn, table: str, key: str, pattern_id) -> None:
    """Structure the pattern's casework added (programs of the register sample…): once into every region."""
    columns = _columns(conn, table)
    names = ", ".join(f'"{n}"' for n, _k in columns)
    exprs = ", ".join(_expression(n, k, set()) for n, k in columns)
    conn.execute(text(f"""
        INSERT INTO "{table}" ({names}) SELECT {exprs} FROM "{table}" s
          CROSS JOIN (SELECT DISTINCT tenant, 0 AS copy, interval '0' AS shift, prefix, digits FROM bench_copies
                      WHERE tenant <> :pid) k
        WHERE s.tenant_id = :pid
          AND NOT EXISTS (SELECT 1 FROM "{table}" t WHERE t.tenant_id = k.tenant AND t.{key} = s.{key})
    """), {"pid": pattern_id})


def _map_areas(conn, pattern_code: str, pattern_id) -> None:
    """The n-th district of the pattern region is the ((n-1) mod count + 1)-th of the region, its
    villages likewise within it."""
    conn.execute(text("""
        WITH pd AS (SELECT code, row_number() OVER (ORDER BY code) AS n FROM districts WHERE regency_code = :pc),
             td AS (SELECT t.id AS tenant, d.code, row_number() OVER (PARTITION BY t.id ORDER BY d.code) AS n,
                           count(*) OVER (PARTITION BY t.id) AS total
                    FROM tenants t JOIN districts d ON d.regency_code = t.region_code WHERE t.id <> :pid)
        INSERT INTO bench_area SELECT pd.code, td.tenant, td.code FROM pd JOIN td ON td.n = (pd.n - 1) % td.total + 1
    """), {"pc": pattern_code, "pid": pattern_id})
    conn.execute(text("""
        WITH pv AS (SELECT v.code, v.district_code,
                           row_number() OVER (PARTITION BY v.district_code ORDER BY v.code) AS n
                    FROM villages v JOIN districts d ON d.code = v.district_code WHERE d.regency_code = :pc),
             tv AS (SELECT v.code, v.district_code,
                           row_number() OVER (PARTITION BY v.district_code ORDER BY v.code) AS n,
                           count(*) OVER (PARTITION BY v.district_code) AS total FROM villages v)
        INSERT INTO bench_area SELECT pv.code, a.tenant, tv.code FROM pv
          JOIN bench_area a ON a.src = pv.district_code
          JOIN tv ON tv.district_code = a.dst AND tv.n = (pv.n - 1) % tv.total + 1
    """), {"pc": pattern_code})


def _columns(conn, table: str) -> list[tuple[str, str]]:
    return [tuple(r) for r in conn.execute(text(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = :t AND is_generated = 'NEVER' ORDER BY ordinal_position"), {"t": table})]


def _unique_columns(conn, table: str) -> set[str]:
    rows = conn.execute(text(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = CAST(:t AS regclass) AND i.indisunique"), {"t": f'public."{table}"'})
    return {r[0] for r in rows} - {"tenant_id", "id", "year"}


def _mapped(columns: list[tuple[str, str]], unique: set[str]) -> tuple[str, str]:
    """(select list, joins) of one table's copy: ids and area codes mapped by hash joins on the maps.

    (A lookup function per value, `bench_id`, probed the map once per id column per row: 2,800 cases a
    second; joined, the map is hashed once per table.)
    """
    exprs, joins = [], []
    for n, (name, kind) in enumerate(columns):
        col = f's."{name}"'
        if name != "tenant_id" and kind == "uuid":
            joins.append(f"LEFT JOIN bench_map m{n} ON m{n}.src = {col} AND m{n}.tenant = k.tenant")
            exprs.append(f"coalesce(m{n}.dst, md5({col}::text || ':' || k.copy)::uuid)")
        elif name.endswith("district_code") or name.endswith("village_code"):
            joins.append(f"LEFT JOIN bench_area a{n} ON a{n}.src = {col} AND a{n}.tenant = k.tenant")
            exprs.append(f"coalesce(a{n}.dst, {col})")
        else:
            exprs.append(_expression(name, kind, unique))
    return ", ".join(exprs), " ".join(joins)


def _expression(name: str, kind: str, unique: set[str]) -> str:
    col = f's."{name}"'
    if name == "tenant_id":
        return "k.tenant"
    if kind == "uuid":
        return f"bench_id({col}, k.tenant, k.copy)"
    if kind.startswith("timestamp"):
        return f"{col} - k.shift"
    if kind == "date":
        return f"({col} - k.shift)::date"
    if name.endswith("district_code") or name.endswith("village_code"):
        return f"bench_code({col}, k.tenant)"
    if name.endswith("nik") or name == "kk_number":
        # 16 digits: the region's four, then the pattern's last twelve shifted by a large step per copy
        # (a bijection within a copy; copies meet only if two pattern numbers differ by a multiple of the step)
        return f"CASE WHEN {col} ~ '^[0-9]{{16}}$' THEN k.digits || lpad(((substr({col}, 5)::bigint + " \
               f"k.copy * 387420489013) % 1000000000000)::text, 12, '0') ELSE {col} END"
    if name == "ticket":  # at most 24 characters: a long prefix gives way to a long number
        number = f"lpad((k.copy * 1000 + substring({col} from '([0-9]+)$')::int)::text, 6, '0')"
        return f"left(k.prefix, 18 - length({number})) || substring({col} from '-[0-9]{{4}}-') || {number}"
    if name in unique and kind in ("integer", "bigint"):
        return f"{col} + k.copy * 100000"
    if name in unique and kind in ("character varying", "text"):
        return f"left(md5({col} || ':' || k.copy), 32)"
    return col


def clone(conn, metadata, pattern_id, echo) -> dict[str, int]:
    """Copy every table the pattern region's casework filled; returns rows written per table."""
    owned = [t.name for t in metadata.sorted_tables if "tenant_id" in t.c and t.name not in DERIVED]
    fresh = conn.execute(text("SELECT tenant FROM bench_copies WHERE tenant <> :p LIMIT 1"), {"p": pattern_id}).scalar()
    written = {}
    for table in owned:
        has = conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{table}" WHERE tenant_id = :p)'), {"p": pattern_id})
        if not has.scalar():
            continue
        structure = conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{table}" WHERE tenant_id = :f)'),
                                 {"f": fresh}).scalar()
        if structure:  # onboarding made it in every region (org chart, SOP, partners, programs…)
            continue
        columns = _columns(conn, table)
        unique = _unique_columns(conn, table)
        names = ", ".join(f'"{n}"' for n, _k in columns)
        exprs, joins = _mapped(columns, unique)
        started = time.perf_counter()
        result = conn.execute(text(f'INSERT INTO "{table}" ({names}) SELECT {exprs} FROM "{table}" s '
                                   f"CROSS JOIN bench_copies k {joins} WHERE s.tenant_id = :p"), {"p": pattern_id})
        written[table] = result.rowcount
        echo(f"  {table:<28} {result.rowcount:>10,} rows in {time.perf_counter() - started:6.1f} s")
    # New tickets must not meet the copies' numbers: the counters start past them.
    conn.execute(text("""
        INSERT INTO ticket_counters (tenant_id, id, year, value)
        SELECT tenant_id, gen_random_uuid(), substring(ticket from '-([0-9]{4})-')::int,
               max(substring(ticket from '([0-9]+)$')::int)
        FROM cases GROUP BY tenant_id, substring(ticket from '-([0-9]{4})-')::int
        ON CONFLICT (tenant_id, year) DO UPDATE SET value = greatest(ticket_counters.value, excluded.value)"""))
    conn.execute(text("""
        INSERT INTO letter_counters (tenant_id, id, year, value)
        SELECT tenant_id, gen_random_uuid(), year, max(serial) FROM referral_letters GROUP BY tenant_id, year
        ON CONFLICT (tenant_id, year) DO UPDATE SET value = greatest(letter_counters.value, excluded.value)"""))
    return written


def unforce_rls(conn) -> list[str]:
    """FORCE row-level security off while the owner writes every region at once; returns the tables."""
    tables = conn.execute(text("SELECT relname FROM pg_class WHERE relkind = 'r' AND relforcerowsecurity")).scalars()
    tables = tables.all()
    for table in tables:
        conn.execute(text(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY'))
    return list(tables)


def force_rls(conn, tables: list[str]) -> None:
    for table in tables:
        conn.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
