/*
 * main.c - vigil's entry point; the program itself is src/app/.
 */
#include "app/app.h"

#include "core/banned.h"

int main(int argc, char **argv)
{
	return app_main(argc, argv);
}
