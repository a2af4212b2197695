/* cmd_sql.c — "bimo sql": read-only SQL on the store for statisticians. The library opens its
 * own read-only connection with an authorizer; this file parses options and prints. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

/* Reads standard input for "bimo sql -". */
static char *read_stdin(void)
{
    size_t n = 0, cap = 4096;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, stdin);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *b = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
            if (!b) {
                free(buf);
                return NULL;
            }
            buf = b;
            cap *= 2;
        }
    }
    if (buf)
        buf[n] = '\0';
    return buf;
}

static int run_sql(const cli_context *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {0, 0, 0, 0},
    };
    bimo_format format = BIMO_FORMAT_TABLE;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'f')
            return EX_USAGE;
        if (!strcmp(optarg, "table"))
            format = BIMO_FORMAT_TABLE;
        else if (!strcmp(optarg, "csv"))
            format = BIMO_FORMAT_CSV;
        else if (!strcmp(optarg, "json"))
            format = BIMO_FORMAT_JSON;
        else
            return cli_usage_error("sql", "--format must be table, csv or json");
    }
    if (optind + 1 != argc)
        return cli_usage_error("sql", "give one SQL statement (or - to read it from stdin)");
    char *text = strcmp(argv[optind], "-") ? NULL : read_stdin();
    const char *sql = text ? text : argv[optind];
    bimo_store *store;
    int rc = cli_open_store(ctx, 0, 1, &store);
    if (!rc) {
        bimo_error err;
        bimo_error_clear(&err);
        if (bimo_sql_query(store, sql, format, stdout, &err) != BIMO_OK)
            rc = cli_report(&err);
        bimo_store_close(store);
    }
    free(text);
    return rc;
}

const cli_command cli_cmd_sql = {
    "sql",
    "run a read-only SQL query on the store",
    "Usage: bimo [--db FILE] sql [--format table|csv|json] \"SELECT ...\"\n"
    "       bimo [--db FILE] sql [--format ...] -     (the statement from standard input)\n\n"
    "Runs one SELECT on its own read-only connection. Anything that would change the store is\n"
    "refused with exit code 77 (INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, ATTACH,\n"
    "transactions, load_extension, PRAGMAs with a value such as writable_schema); a syntax\n"
    "error exits 65. Reading PRAGMAs (table_info, index_list, user_version, ...) are allowed.\n\n"
    "Encodings: dates are integers yyyymmdd (20251231); municipalities are AGS integers\n"
    "(3459024 = 03459024 Melle); nationalities (staatsangehoerigkeit, herkunftsland) are\n"
    "Destatis numbers (0 = German, 475 = Syria; names in code_staaten); other codes are ids\n"
    "of the table code_<list> (geschlecht -> code_geschlecht.id; its columns are those of\n"
    "indicators/codes/<list>.csv, names without _ : zaehlt_als -> zaehltals); persons and\n"
    "pupils are 16-byte keyed hashes (blobs, shown as hex). A snapshot's facts are the rows\n"
    "with rowid BETWEEN snapshot.first_row AND snapshot.last_row (fast range scan), all\n"
    "with snapshot_id = snapshot.id.\n\n"
    "Tables:\n"
    "  snapshot          id, source, stichtag, schuljahr (start year; schule, schulabgang),\n"
    "                    import_id, rows, first_row, last_row\n"
    "  melderegister     snapshot_id, line, person, geburtsdatum, geschlecht,\n"
    "                    staatsangehoerigkeit, staatsangehoerigkeit2, ags, zuzugsdatum,\n"
    "                    herkunftsland, einreisedatum\n"
    "  aufenthalt        snapshot_id, line, person, geburtsdatum, geschlecht,\n"
    "                    staatsangehoerigkeit, ags, rechtsgrundlage, gueltig_ab, gueltig_bis,\n"
    "                    einreisedatum, asylantrag_datum\n"
    "  integrationskurs  snapshot_id, line, person, geschlecht, geburtsdatum,\n"
    "                    staatsangehoerigkeit, ags, berechtigung_datum, berechtigung_art,\n"
    "                    ausgestellt_von, kursart, kursbeginn, kursende, pruefung_datum,\n"
    "                    dtz_ergebnis, lid_bestanden (0/1)\n"
    "  schule            snapshot_id, line, schueler, schulnummer (text), schulform, jahrgang,\n"
    "                    geschlecht, staatsangehoerigkeit, geburtsjahr, ags_schule,\n"
    "                    ags_wohnort, sprachlernklasse (0/1), bildungsgang, ausbildungsjahr\n"
    "  schulabgang       snapshot_id, line, schueler, schulform, abschluss, geschlecht,\n"
    "                    staatsangehoerigkeit, geburtsjahr, ags_schule\n"
    "  melderegister_summary  counts per snapshot: snapshot_id, ags, geschlecht,\n"
    "                    alter_jahre (at the stichtag), staat, deutsch (0/1), n (persons)\n"
    "  aufenthalt_summary     counts per snapshot: snapshot_id, ags, geschlecht,\n"
    "                    alter_jahre, staatsangehoerigkeit, rechtsgrundlage, n\n"
    "  schule_summary    counts per school year: snapshot_id, ags_schule, schulform,\n"
    "                    jahrgang, geschlecht, deutsch (0/1), sprachlernklasse, bildungsgang,\n"
    "                    ausbildungsjahr (0 where the pupil has none), n\n"
    "  aufenthalt_transition  counts per pair of snapshots (AUF-4): snapshot_id,\n"
    "                    prev_snapshot_id, rechtsgrundlage_vorher, rechtsgrundlage (0: not\n"
    "                    in that stock), ags, geschlecht, alter_jahre, staatsangehoerigkeit, n;\n"
    "                    the pairs counted are in aufenthalt_transition_pair\n"
    "  code_<list>       id, code, and the list's columns: code_geschlecht, code_staaten,\n"
    "                    code_gemeinden (id = AGS), code_rechtsgrundlage (gruppe,\n"
    "                    untergruppe), code_schulform (zaehltals, foerderschule),\n"
    "                    code_abschluss (kategorie), code_kursart, code_bildungsgang (sektor),\n"
    "                    code_berechtigung_art, code_ausgestellt_von, code_dtz_ergebnis\n"
    "  import_run        id, source, file_name, sha256, size_bytes, encoding, delimiter,\n"
    "                    stichtag, rows_read, rows_loaded, rows_rejected, started, finished,\n"
    "                    status, message, bimo_version\n"
    "  reject_row        import_id, line, column, reason, raw\n"
    "  ext_table         name, import_id, columns, rows; the data in ext_<name>\n\n"
    "Functions: bimo_age(born, at) completed years; bimo_days(a, b) days from a to b;\n"
    "bimo_add_months(date, n); bimo_date(date) as YYYY-MM-DD; bimo_altersgruppe(born, at)\n"
    "the age group code of indicators/codes/altersgruppen.csv; bimo_altersgruppe_of(age)\n"
    "the same for an age in years.\n\n"
    "Example:\n"
    "  bimo sql \"SELECT s.stichtag, count(*) FROM snapshot s JOIN melderegister m\n"
    "            ON m.rowid BETWEEN s.first_row AND s.last_row GROUP BY 1\"\n",
    run_sql,
};
