/*
 * replycfg.c - the checks of the configuration that need mail syntax and
 * the templates (see replycfg.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "templates/mail.h"
#include "templates/replycfg.h"
#include "templates/tpl.h"

#ifndef IKZ_TEMPLATE_DIR
#define IKZ_TEMPLATE_DIR "/usr/local/share/ikzreg/templates/de"
#endif

/* [staff] summary_to: plain addresses; [desk] url: http(s), no spaces. */
static int
replycfg_staff(const struct config *cf)
{
	size_t	 i;
	int	 errors = 0;

	for (i = 0; i < cf->nsummary_to; i++)
		if (!mail_addr_valid(cf->summary_to[i])) {
			log_warnx("%s: [staff] summary_to: not a plain "
			    "address: %s", cf->path, cf->summary_to[i]);
			errors++;
		}
	if (cf->desk_url && ((strncmp(cf->desk_url, "https://", 8) &&
	    strncmp(cf->desk_url, "http://", 7)) ||
	    strpbrk(cf->desk_url, " \t\r\n\"<>") != NULL)) {
		log_warnx("%s: [desk] url: expected an address like "
		    "https://desk.example.org, got \"%s\"", cf->path,
		    cf->desk_url);
		errors++;
	}
	return errors;
}

/* Returns the number of problems found (each logged). */
static int
replycfg_addresses(struct config *cf)
{
	char	*name = NULL;
	int	 errors = 0;

	if (cf->smtp.bounce_address != NULL &&
	    !mail_addr_valid(cf->smtp.bounce_address)) {
		log_warnx("%s:%d: [smtp] bounce_address: not a plain address: "
		    "%s", cf->path, config_line(cf, "smtp", "bounce_address"),
		    cf->smtp.bounce_address);
		errors++;
	}
	if (mail_split_from(cf->smtp.from, &name, &cf->smtp.from_addr) == -1 ||
	    !mail_addr_valid(cf->smtp.from_addr)) {
		log_warnx("%s:%d: [smtp] from: not a valid address: %s; write "
		    "it as Name <address@example.org>", cf->path,
		    config_line(cf, "smtp", "from"), cf->smtp.from);
		errors++;
	}
	free(name);
	return errors + replycfg_staff(cf);
}

/*
 * A template that cannot render is found now, not when mail is due. Only
 * an uninstalled default directory is let pass (a build tree).
 */
static int
replycfg_templates(struct config *cf)
{
	char	*err = NULL;

	if (cf->templates == NULL && access(IKZ_TEMPLATE_DIR, F_OK) == -1)
		log_warnx("%s: [replies] templates not set and %s missing",
		    cf->path, IKZ_TEMPLATE_DIR);
	else if (tpl_check_dir(cf->templates ? cf->templates :
	    IKZ_TEMPLATE_DIR, &err) == -1) {
		log_warnx("%s:%d: [replies] templates: %s; set templates to "
		    "the directory of the reply templates (installed: %s)",
		    cf->path, config_line(cf, "replies", "templates"), err,
		    IKZ_TEMPLATE_DIR);
		free(err);
		return 1;
	}
	if (cf->templates == NULL)
		cf->templates = xstrdup(IKZ_TEMPLATE_DIR);
	return 0;
}

struct config *
replycfg_load(const char *path)
{
	struct config	*cf;
	int		 errors;

	if ((cf = config_load(path)) == NULL)
		return NULL;
	errors = replycfg_addresses(cf);
	errors += replycfg_templates(cf);
	if (errors) {
		config_free(cf);
		return NULL;
	}
	return cf;
}
