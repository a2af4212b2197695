/* sqlfuncs.c — the read-only guard and the SQL functions of indicator SQL and bimo sql.
 * Reading is enforced three times: a read-only open, PRAGMA query_only and an authorizer. */
#include "sqlfuncs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "error.h"
#include "period.h"
#include "store.h"
#include "values.h"

/* ---- Authorizer ----------------------------------------------------------------------------- */

/* PRAGMAs that only read and take a table or index name as argument. */
static const char *const pragmas_with_name[] = {
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "function_list",
    "collation_list",
    "pragma_list",
    "module_list",
    "database_list",
    NULL,
};

/* PRAGMAs that read a setting when given no value (with a value they would change it). */
static const char *const pragmas_without_value[] = {
    "user_version", "schema_version", "application_id", "page_size",
    "page_count",   "freelist_count", "encoding",       "compile_options",
    "data_version", "journal_mode",   "foreign_keys",   "query_only",
    NULL,
};

/* Functions refused even though a read-only connection could call them. */
static const char *const denied_functions[] = {
    "load_extension", "fts3_tokenizer", "readfile", "writefile", "edit", NULL,
};

static int in_list(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (sqlite3_stricmp(list[i], s) == 0)
            return 1;
    return 0;
}

static const char *action_name(int action)
{
    switch (action) {
    case SQLITE_INSERT: return "INSERT into";
    case SQLITE_UPDATE: return "UPDATE of";
    case SQLITE_DELETE: return "DELETE from";
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_TABLE: return "CREATE TABLE";
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX";
    case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_TEMP_VIEW: return "CREATE VIEW";
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_TEMP_TRIGGER: return "CREATE TRIGGER";
    case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE";
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_TABLE: return "DROP TABLE";
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TEMP_INDEX: return "DROP INDEX";
    case SQLITE_DROP_VIEW:
    case SQLITE_DROP_TEMP_VIEW: return "DROP VIEW";
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_TEMP_TRIGGER: return "DROP TRIGGER";
    case SQLITE_DROP_VTABLE: return "DROP VIRTUAL TABLE";
    case SQLITE_ALTER_TABLE: return "ALTER TABLE";
    case SQLITE_ATTACH: return "ATTACH";
    case SQLITE_DETACH: return "DETACH";
    case SQLITE_TRANSACTION: return "transaction";
    case SQLITE_SAVEPOINT: return "SAVEPOINT";
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_REINDEX: return "REINDEX";
    case SQLITE_PRAGMA: return "PRAGMA";
    case SQLITE_FUNCTION: return "function";
    default: return "statement";
    }
}

static int is_schema_table(const char *name)
{
    return name && (sqlite3_stricmp(name, "sqlite_master") == 0 ||
                    sqlite3_stricmp(name, "sqlite_schema") == 0 ||
                    sqlite3_stricmp(name, "sqlite_temp_master") == 0 ||
                    sqlite3_stricmp(name, "sqlite_temp_schema") == 0);
}

static int deny(bimo_sql_guard *g, int action, const char *a3, const char *a4)
{
    /* CREATE, DROP and friends are first seen as writes to the schema table. */
    if (!g->denied[0] && is_schema_table(a3) && action != SQLITE_READ) {
        g->schema = 1;
        snprintf(g->denied, sizeof g->denied, "a change of the database schema");
    }
    if (!g->denied[0]) {
        if (action == SQLITE_PRAGMA && a4)
            snprintf(g->denied, sizeof g->denied, "PRAGMA %s = %s", a3, a4);
        else if (action == SQLITE_FUNCTION)
            snprintf(g->denied, sizeof g->denied, "function %s()", a4 ? a4 : "?");
        else if (action == SQLITE_ALTER_TABLE)
            snprintf(g->denied, sizeof g->denied, "ALTER TABLE %s", a4 ? a4 : "?");
        else if (action == SQLITE_TRANSACTION)
            snprintf(g->denied, sizeof g->denied, "%s (transaction)", a3 ? a3 : "BEGIN");
        else
            snprintf(g->denied, sizeof g->denied, "%s%s%s", action_name(action), a3 ? " " : "",
                     a3 ? a3 : "");
    }
    return SQLITE_DENY;
}

static int authorize(void *ctx, int action, const char *a3, const char *a4, const char *db,
                     const char *trigger)
{
    (void)db;
    (void)trigger;
    bimo_sql_guard *g = ctx;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE: return SQLITE_OK;
    case SQLITE_UPDATE:
        /* Table-valued PRAGMA functions (pragma_table_info) are authorized as an UPDATE of
         * the schema table that never runs; a real UPDATE of it fails in defensive mode,
         * and bimo_sql_refused() refuses every statement that is not read-only. */
        return is_schema_table(a3) ? SQLITE_OK : deny(g, action, a3, a4);
    case SQLITE_FUNCTION:
        return in_list(denied_functions, a4) ? deny(g, action, a3, a4) : SQLITE_OK;
    case SQLITE_PRAGMA:
        if (g->allow_pragmas &&
            (in_list(pragmas_with_name, a3) || (!a4 && in_list(pragmas_without_value, a3))))
            return SQLITE_OK;
        return deny(g, action, a3, a4);
    default: return deny(g, action, a3, a4);
    }
}

/* The leading keywords of a schema statement: "CREATE TEMP VIEW", "DROP TABLE". */
static void leading_keywords(const char *sql, char *buf, size_t size)
{
    static const char *const words[] = {"CREATE",  "DROP",    "ALTER",  "TEMP",   "TEMPORARY",
                                        "VIRTUAL", "UNIQUE",  "TABLE",  "VIEW",   "INDEX",
                                        "TRIGGER", "INSERT",  "UPDATE", "DELETE", "INTO",
                                        "FROM",    "ANALYZE", NULL};
    size_t n = 0;
    buf[0] = '\0';
    for (const char *p = sql;;) {
        p += strspn(p, " \t\r\n");
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        int known = 0;
        for (int i = 0; words[i] && len; i++)
            known |= strlen(words[i]) == len && sqlite3_strnicmp(words[i], p, (int)len) == 0;
        if (!known || n + len + 2 > size)
            return;
        for (size_t i = 0; i < len; i++)
            buf[n + i + (n > 0)] = (char)(p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
        if (n)
            buf[n] = ' ';
        n += len + (n > 0);
        buf[n] = '\0';
        p += len;
    }
}

int bimo_sql_refused(sqlite3 *db, const bimo_sql_guard *guard, int rc, sqlite3_stmt *stmt,
                     const char *sql, char *buf, size_t size)
{
    char words[64];
    if (guard->denied[0] && guard->schema) {
        leading_keywords(sql, words, sizeof words);
        snprintf(buf, size, "%s%s(%s)", words, words[0] ? " " : "", guard->denied);
    } else if (guard->denied[0]) {
        snprintf(buf, size, "%s", guard->denied);
    } else if (rc == SQLITE_AUTH || (rc == SQLITE_OK && stmt && !sqlite3_stmt_readonly(stmt))) {
        snprintf(buf, size, "a statement that writes");
    } else if (rc != SQLITE_OK && strstr(sqlite3_errmsg(db), "may not be modified")) {
        leading_keywords(sql, words, sizeof words);
        snprintf(buf, size, "%s%s(%s)", words, words[0] ? " " : "", sqlite3_errmsg(db));
    } else {
        return 0;
    }
    return 1;
}

bimo_status bimo_sql_open_readonly(bimo_store *store, bimo_sql_guard *guard, sqlite3 **out,
                                   bimo_error *err)
{
    *out = NULL;
    sqlite3 *db = NULL;
    int rc = bimo_store_connect(store, SQLITE_OPEN_READONLY, &db);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
        sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
        sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
        rc = sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL);
    }
    /* The first read of a transaction fixes the state it sees (WAL keeps it for the reader);
     * without it every statement would see the latest commit, and a report read during an
     * import could mix tables from before and after it. */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        bimo_status st = bimo_store_fail(db, err, "cannot open the store for reading");
        sqlite3_close(db);
        return st;
    }
    bimo_status st = bimo_sql_register_functions(db, err);
    if (st != BIMO_OK) {
        sqlite3_close(db);
        return st;
    }
    guard->denied[0] = '\0';
    guard->schema = 0;
    sqlite3_set_authorizer(db, authorize, guard);
    *out = db;
    return BIMO_OK;
}

/* ---- SQL functions -------------------------------------------------------------------------- */

static int arg_date(sqlite3_value *v, int32_t *ymd)
{
    if (sqlite3_value_type(v) == SQLITE_NULL)
        return -1;
    int64_t d = sqlite3_value_int64(v);
    int m = (int)(d / 100 % 100), day = (int)(d % 100);
    if (d < 10000101 || d > 99991231 || m < 1 || m > 12 || day < 1 || day > 31)
        return -1;
    *ymd = (int32_t)d;
    return 0;
}

static void fn_age(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    int32_t born, at;
    if (arg_date(v[0], &born) == 0 && arg_date(v[1], &at) == 0)
        sqlite3_result_int(c, bimo_age_years(born, at));
    else
        sqlite3_result_null(c);
}

static void fn_days(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    int32_t a, b;
    if (arg_date(v[0], &a) == 0 && arg_date(v[1], &b) == 0)
        sqlite3_result_int(c, bimo_days_between(a, b));
    else
        sqlite3_result_null(c);
}

static void fn_add_months(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    int32_t d;
    if (arg_date(v[0], &d) == 0 && sqlite3_value_type(v[1]) != SQLITE_NULL) {
        int64_t n = sqlite3_value_int64(v[1]);
        if (n > -12000 && n < 12000) {
            sqlite3_result_int(c, bimo_date_add_months(d, (int)n));
            return;
        }
    }
    sqlite3_result_null(c);
}

static void fn_date(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    int32_t d;
    char buf[11];
    if (arg_date(v[0], &d) != 0) {
        sqlite3_result_null(c);
        return;
    }
    bimo_format_date(d, 0, buf);
    sqlite3_result_text(c, buf, 10, SQLITE_TRANSIENT);
}

typedef struct {
    int from, to; /* completed years; to -1 open-ended */
    char code[24];
} age_group;

typedef struct {
    size_t n;
    age_group g[];
} age_groups;

static void age_group_result(sqlite3_context *c, int age)
{
    const age_groups *ag = sqlite3_user_data(c);
    for (size_t i = 0; i < ag->n; i++)
        if (age >= ag->g[i].from && (ag->g[i].to < 0 || age < ag->g[i].to)) {
            sqlite3_result_text(c, ag->g[i].code, -1, SQLITE_STATIC);
            return;
        }
    sqlite3_result_null(c);
}

static void fn_age_group(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    int32_t born, at;
    if (arg_date(v[0], &born) != 0 || arg_date(v[1], &at) != 0)
        sqlite3_result_null(c);
    else
        age_group_result(c, bimo_age_years(born, at));
}

/* The age group of an age in completed years (alter_jahre of the summary tables). */
static void fn_age_group_of(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    int64_t age = sqlite3_value_int64(v[0]);
    if (sqlite3_value_type(v[0]) == SQLITE_NULL || age < -1000 || age > 1000)
        sqlite3_result_null(c);
    else
        age_group_result(c, (int)age);
}

static bimo_status load_age_groups(age_groups **out, bimo_error *err)
{
    bimo_codelist *list;
    bimo_status st = bimo_codelist_load_named("altersgruppen", &list, err);
    if (st != BIMO_OK)
        return st;
    size_t n = bimo_codelist_size(list);
    age_groups *ag = calloc(1, sizeof *ag + n * sizeof ag->g[0]);
    if (!ag) {
        bimo_codelist_free(list);
        return bimo_fail(err, BIMO_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const char *from = bimo_codelist_value(list, (int)i, "von");
        const char *to = bimo_codelist_value(list, (int)i, "bis");
        if (!from || !*from) {
            st = bimo_fail(err, BIMO_ERR_DATA, "altersgruppen.csv: column \"von\" is missing");
            break;
        }
        ag->g[i].from = atoi(from);
        ag->g[i].to = to && *to ? atoi(to) : -1;
        snprintf(ag->g[i].code, sizeof ag->g[i].code, "%s", bimo_codelist_code(list, (int)i));
    }
    ag->n = n;
    bimo_codelist_free(list);
    if (st != BIMO_OK) {
        free(ag);
        return st;
    }
    *out = ag;
    return BIMO_OK;
}

bimo_status bimo_sql_register_functions(sqlite3 *db, bimo_error *err)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    age_groups *ag = NULL;
    bimo_status st = load_age_groups(&ag, err);
    if (st != BIMO_OK)
        return st;
    int rc = sqlite3_create_function_v2(db, "bimo_altersgruppe", 2, flags, ag, fn_age_group, NULL,
                                        NULL, free);
    /* bimo_altersgruppe owns ag (freed when the connection closes); this one shares it. */
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "bimo_altersgruppe_of", 1, flags, ag, fn_age_group_of,
                                        NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "bimo_age", 2, flags, NULL, fn_age, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "bimo_days", 2, flags, NULL, fn_days, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "bimo_add_months", 2, flags, NULL, fn_add_months, NULL,
                                        NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "bimo_date", 1, flags, NULL, fn_date, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return bimo_fail(err, BIMO_ERR_STORE, "cannot register SQL functions: %s",
                         sqlite3_errmsg(db));
    return BIMO_OK;
}

int bimo_sql_is_blank(const char *s)
{
    while (*s) {
        if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
        } else if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == ';') {
            s++;
        } else {
            return 0;
        }
    }
    return 1;
}

void bimo_csv_write_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}
