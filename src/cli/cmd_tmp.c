#include "cli/cli.h"

int cmd_serve(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	return cli_fail("serve: not built yet");
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	return cli_fail("demo: not built yet");
}
