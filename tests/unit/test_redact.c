/*
 * test_redact.c - vg_redact_url(): credentials, secret parameters and the
 * secret paths of webhook hosts masked; everything else left readable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/redact.h"

#include <stdio.h>
#include <string.h>

struct tcase {
	const char *in, *want;
};

static void check(const char *in, const char *want)
{
	char out[1024];
	size_t n = vg_redact_url(in, out, sizeof(out));
	if (strcmp(out, want) != 0)
		fail_msg("redact(%s)\n  got  %s\n  want %s", in ? in : "(null)", out, want);
	assert_int_equal(n, strlen(want));
}

static void test_userinfo(void **state)
{
	static const struct tcase c[] = {
	    {"https://user:pw@hooks.example/x", "https://***@hooks.example/x"},
	    {"https://user@host/", "https://***@host/"},
	    {"smtp://mailer:s3cr3t@mail.example:587", "smtp://***@mail.example:587"},
	    {"smtps://a%40b:p%3Aw@mail.example", "smtps://***@mail.example"},
	    {"http://a@b@host/p", "http://***@host/p"},
	    {"HTTPS://User:PW@Host.Example", "HTTPS://***@Host.Example"},
	    {"postgresql://vigil:pw@db:5432/vigil", "postgresql://***@db:5432/vigil"},
	    /* a password with an unescaped '/', '?' or '#' */
	    {"https://user:pa/ss@host/x", "https://***@host/x"},
	    {"https://user:pa?ss@host/x", "https://***@host/x"},
	    {"https://user:pa#ss@host/x", "https://***@host/x"},
	    /* host:secret without a host */
	    {"https://user:secret", "https://user:***"},
	    /* '@' in the path is not userinfo */
	    {"https://mastodon.example/@user", "https://mastodon.example/@user"},
	    /* ports stay */
	    {"http://127.0.0.1:8080/hook", "http://127.0.0.1:8080/hook"},
	    {"http://[::1]:8080/hook", "http://[::1]:8080/hook"},
	    {"http://u:p@[::1]:8080/hook", "http://***@[::1]:8080/hook"},
	    /* without a scheme, or sloppy */
	    {"//user:pw@host/x", "//***@host/x"},
	    {"user:pw@host", "***@host"},
	    {" https://user:pw@host/", " https://***@host/"},
	    {"mailto:psirt@example.com", "mailto:psirt@example.com"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check(c[i].in, c[i].want);
}

static void test_query(void **state)
{
	static const struct tcase c[] = {
	    {"https://h/x?token=abc", "https://h/x?token=***"},
	    {"https://h/x?a=1&TOKEN=abc&b=2", "https://h/x?a=1&TOKEN=***&b=2"},
	    {"https://h/x?api_key=k&apikey=k&api-key=k",
	     "https://h/x?api_key=***&apikey=***&api-key=***"},
	    {"https://h/x?key=k&secret=s&password=p&pass=p&pw=p&pwd=p",
	     "https://h/x?key=***&secret=***&password=***&pass=***&pw=***&pwd=***"},
	    {"https://h/x?sig=s&signature=s&auth=a&code=c",
	     "https://h/x?sig=***&signature=***&auth=***&code=***"},
	    {"https://h/x?access_token=t&refresh_token=t&client_secret=s",
	     "https://h/x?access_token=***&refresh_token=***&client_secret=***"},
	    {"https://h/x?X-Amz-Signature=abc&X-Amz-Credential=AKIA/x&X-Amz-Date=20260101",
	     "https://h/x?X-Amz-Signature=***&X-Amz-Credential=***&X-Amz-Date=20260101"},
	    {"https://h/x?routing_key=r&integrationKey=i",
	     "https://h/x?routing_key=***&integrationKey=***"},
	    {"https://h/x?api%5Fkey=k", "https://h/x?api%5Fkey=***"},
	    {"https://h/x?token=a;sig=b", "https://h/x?token=***;sig=***"},
	    {"https://h/x?token=", "https://h/x?token="},
	    {"https://h/x?token", "https://h/x?token"},
	    /* harmless parameters stay */
	    {"https://h/x?page=2&sort=name&api-version=2016-06-01",
	     "https://h/x?page=2&sort=name&api-version=2016-06-01"},
	    /* random-looking values and bare parameters go */
	    {"https://h/x?id=0123456789abcdef0123456789abcdef", "https://h/x?id=***"},
	    {"https://h/x?0123456789abcdef0123456789abcdef", "https://h/x?***"},
	    /* fragments too */
	    {"https://h/cb#access_token=t&state=1", "https://h/cb#access_token=***&state=1"},
	    {"https://h/doc#section-2", "https://h/doc#section-2"},
	    /* Power Automate / Logic Apps */
	    {"https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/"
	     "invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=Zm9vYmFyYmF6",
	     "https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/"
	     "invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=***"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check(c[i].in, c[i].want);
}

static void test_webhook_paths(void **state)
{
	static const struct tcase c[] = {
	    {"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
	     "https://hooks.slack.com/services/***"},
	    {"https://HOOKS.SLACK.COM/workflows/T1/A2/3/abc",
	     "https://HOOKS.SLACK.COM/workflows/***"},
	    {"https://discord.com/api/webhooks/123456789012345678/abcDEF_ghi-JKL",
	     "https://discord.com/api/webhooks/***"},
	    {"https://discordapp.com/api/v10/webhooks/1/t?wait=true",
	     "https://discordapp.com/api/v10/webhooks/***?wait=true"},
	    {"https://contoso.webhook.office.com/webhookb2/"
	     "0f8fad5b-d9cb-469f-a165-70867728950e@72f988bf-86f1-41af-91ab-2d7cd011db47/"
	     "IncomingWebhook/abc/def",
	     "https://contoso.webhook.office.com/webhookb2/***"},
	    {"https://outlook.office.com/webhook/a@b/IncomingWebhook/c/d",
	     "https://outlook.office.com/webhook/***"},
	    {"https://chat.example.com/hooks/xi8ctqxh5tfbmr3s6ui1abcdeo",
	     "https://chat.example.com/hooks/***"},
	    {"https://rocket.example/hooks/id/token", "https://rocket.example/hooks/***"},
	    {"https://hooks.zapier.com/hooks/catch/123/abc/", "https://hooks.zapier.com/hooks/***"},
	    {"https://h/hooks/", "https://h/hooks/"},
	    {"https://h/hooks", "https://h/hooks"},
	    /* the example of issue 16 */
	    {"https://user:pw@hooks.example/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?token=abc",
	     "https://***@hooks.example/services/T000/B000/***?token=***"},
	    /* long random segments anywhere */
	    {"https://h/a/0123456789abcdef0123456789abcdef/b", "https://h/a/***/b"},
	    {"https://h/a/ZXhhbXBsZS1zZWNyZXQtdG9rZW4=", "https://h/a/***"},
	    {"https://h/a/aB3defghij_klmnopqrst-uvwxyzABCD", "https://h/a/***"},
	    {"https://h/a/abcdefghij_klmnopqrst-uvwxyzABCD",
	     "https://h/a/abcdefghij_klmnopqrst-uvwxyzABCD"},
	    /* words, UUIDs and short ids stay */
	    {"https://h/api/v1/security-advisories/CVE-2026-0001",
	     "https://h/api/v1/security-advisories/CVE-2026-0001"},
	    {"https://h/u/0f8fad5b-d9cb-469f-a165-70867728950e",
	     "https://h/u/0f8fad5b-d9cb-469f-a165-70867728950e"},
	    {"https://events.pagerduty.com/v2/enqueue", "https://events.pagerduty.com/v2/enqueue"},
	    {"http://127.0.0.1:4000/hook", "http://127.0.0.1:4000/hook"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check(c[i].in, c[i].want);
}

static void test_edges(void **state)
{
	char out[16];
	size_t n;
	(void)state;
	check(NULL, "");
	check("", "");
	check("not a url", "not a url");
	check("https://", "https://");
	check("https://@", "https://***@");
	check("?token=x", "?token=***");
	check("#", "#");
	check("https://h?", "https://h?");
	check("https://h/x?&&=&", "https://h/x?&&=&");
	/* masking is stable: a masked URL masks to itself */
	check("https://***@hooks.example/services/T000/B000/***?token=***",
	      "https://***@hooks.example/services/T000/B000/***?token=***");
	/* truncation: NUL-terminated, the length of the whole, no secret */
	n = vg_redact_url("https://user:password@host/x?token=abc", out, sizeof(out));
	assert_int_equal(n, strlen("https://***@host/x?token=***"));
	assert_string_equal(out, "https://***@hos");
	n = vg_redact_url("https://h/x?token=0123456789", out, 1);
	assert_string_equal(out, "");
	n = vg_redact_url("https://h/", NULL, 0);
	assert_int_equal(n, strlen("https://h/"));
}

static void test_param_names(void **state)
{
	(void)state;
	assert_true(vg_redact_param_is_secret("Token", 5));
	assert_true(vg_redact_param_is_secret("x-api-key", 9));
	assert_true(vg_redact_param_is_secret("subscription-key", 16));
	assert_true(vg_redact_param_is_secret("sessionid", 9));
	assert_false(vg_redact_param_is_secret("page", 4));
	assert_false(vg_redact_param_is_secret("", 0));
	assert_false(vg_redact_param_is_secret("keyword", 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_userinfo),      cmocka_unit_test(test_query),
	    cmocka_unit_test(test_webhook_paths), cmocka_unit_test(test_edges),
	    cmocka_unit_test(test_param_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
