/*
 * replycfg.h - the configuration, checked for what replies need.
 *
 * base/config.c reads the INI file and checks what the file alone can
 * tell; the checks that need this layer (mail address syntax, templates
 * that render) are made here, so base/ never calls up into the pipeline.
 * Every program loads its configuration through replycfg_load().
 */
#ifndef IKZ_REPLYCFG_H
#define IKZ_REPLYCFG_H

#include "base/config.h"

/*
 * config_load(path), then: [smtp] from must be "Name <addr>" with a valid
 * address (sets smtp.from_addr), bounce_address a plain address, and
 * every template of [replies] templates (default: the installed
 * directory) must render. Returns NULL after logging every problem.
 */
struct config	*replycfg_load(const char *path);

#endif
