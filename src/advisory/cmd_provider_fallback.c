/*
 * cmd_provider_fallback.c - TEMPORARY: the noun `vigil advisory` that only
 * knows `provider`, for the branch of helper "provider" built before
 * advisory/cmd_advisory.c (helper "advisory") exists. At merge the real
 * dispatcher replaces it: delete this file and its row in app/tables.c.
 */
#include "advisory/provider.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

int cmd_advisory_provider_only(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc >= 2 && strcmp(argv[1], "provider") == 0)
		return cmd_advisory_provider(argc - 1, argv + 1);
	fprintf(stderr, "usage: vigil advisory provider check|validate|put ...\n");
	return CLI_USAGE;
}
