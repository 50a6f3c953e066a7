/*
 * edit.c - staff corrections of a registration (edit.h): the person's
 * fields, and a companion at the same place in line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "registry/db.h"
#include "registry/edit.h"
#include "registry/reg_int.h"
#include "templates/mail.h"

/* The seven person fields in column order: their German names. */
#define EDIT_NFIELDS	7
static const char *const edit_names[EDIT_NFIELDS] = { "Anrede", "Titel",
    "Vorname", "Nachname", "Funktion", "Organisation", "E-Mail" };

static char **
edit_field(struct person *p, int i)
{
	char	**f[EDIT_NFIELDS] = { &p->salutation, &p->title,
	    &p->given_name, &p->family_name, &p->function, &p->organisation,
	    &p->email };

	return f[i];
}

/* Keeps the fields before the edit under the audit row's id. */
static int
edit_keep_prev(sqlite3 *db, int64_t audit_id, const struct reg_entry *e)
{
	sqlite3_stmt	*st;
	struct person	 p = e->p;
	int		 i, rc;

	st = db_prepare(db, "INSERT INTO reg_prev (audit_id, registration_id,"
	    " salutation, title, given_name, family_name, function,"
	    " organisation, email, reply_to) VALUES (?,?,?,?,?,?,?,?,?,?)");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, audit_id);
	sqlite3_bind_int64(st, 2, e->id);
	for (i = 0; i < EDIT_NFIELDS; i++)
		db_bind_text(st, 3 + i, *edit_field(&p, i));
	db_bind_text(st, 10, e->reply_to);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Writes the seven fields and reply_to of registration id. */
int
edit_store(sqlite3 *db, int64_t id, const struct person *np,
    const char *reply_to)
{
	sqlite3_stmt	*st;
	struct person	 p = *np;
	int		 i, rc;

	st = db_prepare(db, "UPDATE registrations SET salutation = ?,"
	    " title = ?, given_name = ?, family_name = ?, function = ?,"
	    " organisation = ?, email = ?, reply_to = ?, updated = ?"
	    " WHERE id = ?");
	if (st == NULL)
		return -1;
	for (i = 0; i < EDIT_NFIELDS; i++)
		db_bind_text(st, 1 + i, *edit_field(&p, i));
	db_bind_text(st, 8, reply_to);
	sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 10, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		log_warnx("registrations: %s", sqlite3_errmsg(db));
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Lays the given fields of p over e->p into np (new strings) and names
 * the changed ones in *changed; returns how many changed.
 */
static int
edit_merge(const struct reg_entry *e, const struct person *p,
    struct person *np, struct buf *changed)
{
	struct person	 old = e->p, in = *p;
	const char	*v;
	int		 i, n = 0;

	people_init(np);
	for (i = 0; i < EDIT_NFIELDS; i++) {
		v = *edit_field(&in, i) ? *edit_field(&in, i) :
		    *edit_field(&old, i);
		people_set(edit_field(np, i), v);
		if (strcmp(*edit_field(np, i), *edit_field(&old, i)) != 0) {
			buf_printf(changed, "%s%s", n ? ", " : "",
			    edit_names[i]);
			n++;
		}
	}
	return n;
}

/* Why the corrected person np cannot be stored, or NULL. */
static const char *
edit_check(struct reg_ctx *c, const struct reg_entry *e,
    const struct person *np, int nchanged, int64_t *dup)
{
	if (nchanged == 0)
		return "nichts geändert";
	if (*np->family_name == '\0')
		return "ohne Nachnamen geht es nicht";
	if (*np->email && !mail_addr_valid(np->email))
		return "die E-Mail-Adresse ist ungültig";
	if ((*dup = reg_find_person(c->db, c->ev->key, np, e->id)) != 0)
		return "diese Person ist schon angemeldet";
	return NULL;
}

int
edit_person(sqlite3 *db, const struct config *cf, const char *event_key,
    int64_t reg_id, const struct person *p, const char *actor,
    struct reg_result *res)
{
	struct reg_ctx	 c;
	struct reg_entry e;
	struct person	 np;
	struct buf	 changed = { 0 };
	const char	*why, *reply_to;
	int64_t		 dup = 0;
	int		 n, rv = -1;

	if (reg_staff_begin(&c, db, cf, event_key, 0, actor, res) == -1)
		return -1;
	if (reg_staff_find(&c, reg_id, NULL, &e, res) != 1)
		return reg_staff_end(&c, -1, res);
	n = edit_merge(&e, p, &np, &changed);
	if ((why = edit_check(&c, &e, &np, n, &dup)) != NULL) {
		if (dup >= 0)
			reg_staff_err(res, 1, "Anmeldung %lld: %s%s",
			    (long long)e.id, why, dup > 0 ? " (siehe "
			    "Anmeldung mit gleicher Adresse oder gleichem "
			    "Namen)" : "");
	} else {
		/* Later news goes to the person when they had written. */
		reply_to = !util_strcasecmp(e.reply_to, e.p.email) &&
		    mail_addr_valid(np.email) ? np.email : e.reply_to;
		if (edit_store(db, e.id, &np, reply_to) == 0 &&
		    db_audit(db, actor, "edited", c.ev->key, e.id, 0,
		    changed.data) == 0 &&
		    edit_keep_prev(db, sqlite3_last_insert_rowid(db), &e)
		    == 0) {
			res->reg_id = e.id;
			snprintf(res->kind, sizeof(res->kind), "edited");
			rv = 0;
		}
	}
	buf_free(&changed);
	people_clear(&np);
	reg_entry_free(&e);
	return reg_staff_end(&c, rv, res);
}

/* The next free place right after host's arrival and its companions. */
static int
edit_companion_arrival(sqlite3 *db, int64_t host_id, struct reg_arrival *a)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (reg_arrival_of(db, host_id, a) == -1)
		return -1;
	st = db_prepare(db, "SELECT max(arrival_seq) FROM registrations"
	    " WHERE arrival = ? AND arrival_uid = ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)a->t);
	sqlite3_bind_int64(st, 2, a->uid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		a->seq = sqlite3_column_int(st, 0) + 1;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Places companion p behind host e; o says where. 0, or -1. */
static int
edit_companion_place(struct reg_ctx *c, const struct reg_entry *e,
    const struct person *p, struct reg_outcome *o, struct reg_result *res)
{
	struct reg_arrival	 a;
	char			 d[64];

	if (edit_companion_arrival(c->db, e->id, &a) == -1 ||
	    reg_place(c, &a, p, e->reply_to, o) == -1)
		return -1;
	reg_staff_result(res, o);
	if (o->reg_id == 0 || !strcmp(o->kind, "already-registered"))
		return reg_staff_err(res, 1, "nicht angemeldet: %s",
		    !strcmp(o->kind, "full") ? "kein Platz, auch nicht auf "
		    "der Warteliste" : !strcmp(o->kind, "closed") ?
		    "Anmeldeschluss" : "diese Person ist schon angemeldet");
	snprintf(d, sizeof(d), "companion of %lld", (long long)e->id);
	return db_audit(c->db, c->actor, "companion", c->ev->key, o->reg_id,
	    0, d);
}

int
edit_companion(sqlite3 *db, const struct config *cf, const char *event_key,
    int64_t host_id, const struct person *p, int flags, const char *actor,
    struct reg_result *res)
{
	struct reg_ctx		 c;
	struct reg_outcome	 o;
	struct reg_entry	 e;
	struct person		 cp = *p;
	const char		*to;
	int			 rv = -1;

	if (reg_staff_begin(&c, db, cf, event_key, flags, actor, res) == -1)
		return -1;
	if (reg_staff_find(&c, host_id, NULL, &e, res) != 1)
		return reg_staff_end(&c, -1, res);
	/* a companion comes with the host: the host's organisation */
	if (cp.organisation == NULL || *cp.organisation == '\0')
		cp.organisation = e.p.organisation;
	p = &cp;
	if (p->family_name == NULL || *p->family_name == '\0')
		reg_staff_err(res, 1, "die Begleitperson braucht einen "
		    "Nachnamen");
	else if (edit_companion_place(&c, &e, p, &o, res) == 0) {
		to = *e.reply_to ? e.reply_to : e.p.email;
		rv = reg_reply(&c, to, p->email, &o, 1);
	}
	reg_entry_free(&e);
	return reg_staff_end(&c, rv, res);
}
