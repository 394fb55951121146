/*
 * Vectors of the shared suites that disagree with the tools we follow,
 * with the reason. Included by test_version.c; each entry must still
 * disagree (stale entries fail the test).
 */
#define MVN39 "encodes Maven >= 3.9 order (MNG-7559); the Maven 3.8.7 oracle agrees with us"
{"maven-versions.txt", "1-1", "1-ga-1", MVN39},
    {"maven-versions-generated.txt", "1.0.0-RC16", "1.0.0.RC8-beta", MVN39},
    {"maven-versions-generated.txt", "1.0.0-gradle-rework-beta3", "1.0.0.RC7-3", MVN39},
    {"maven-versions-generated.txt", "2.9.0-1", "2.9.0.RC1", MVN39},
    {"maven-versions-generated.txt", "6.1.12.rc5", "6.1.12rc1", MVN39},
    {"maven-versions-generated.txt", "1.1.31.sec10", "1.1.31_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.1.34.sec10", "1.1.34_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.1.46.sec10", "1.1.46_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.2.8.sec10_noneautotype", "1.2.8_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.2.31.sec10", "1.2.31_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.2.48.sec10", "1.2.48_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.2.50.sec10", "1.2.50_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.2.54.sec10", "1.2.54_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.2.57.sec10", "1.2.57_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.2.60.sec10", "1.2.60_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.2.67.sec10", "1.2.67_noneautotype", MVN39},
    {"maven-versions-generated.txt", "1.0.0rc0", "1.0.beta8", MVN39},
    {"maven-versions-generated.txt", "1.5.9.RC1", "1.5.9-RC0", MVN39},
    {"maven-versions-generated.txt", "1.1.0-01-glassfish", "1.1.0.Beta1", MVN39},
    {"maven_version_cmp_test.json", "2-1", "2.0.a", MVN39},
    {"maven_version_cmp_test.json", "2-1", "2.0.0.a", MVN39},
    {"maven_version_cmp_test.json", "2.0.a", "2.0.0.a", MVN39},
#define APK3                                                                                      \
	"scalibr hand-written: depends on the apk-tools release (file comment: 'on latest apk "   \
	"these are < but on 3.x >'); we follow apk-tools 2.12 like the generated vectors, which " \
	"all pass"
#define APKINV                                                                            \
	"scalibr hand-written: apk-tools' validator rejects this version (file marks it " \
	"'invalid'); we report an error instead of guessing"
    {"alpine-versions.txt", "1-r-0", "1-r0", APKINV},
    {"alpine-versions.txt", "1-r-1", "1-r0", APKINV}, {"alpine-versions.txt", "0.r1", "0r2", APK3},
    {"alpine-versions.txt", "0.8.21.r2", "0.8.21r2", APK3},
    {"alpine-versions.txt", "1.2.0A", "1.2.0d", APKINV},
    {"alpine-versions.txt", "1.2.0D", "1.2.0d", APKINV},
    {"alpine-versions.txt", "1-r2", "1-r-1", APKINV},
    {"alpine-versions.txt", "1", "1-ruff", APKINV},
    {"alpine-versions.txt", "1-r0-1", "1-r-2", APKINV},
    {"alpine-versions.txt", "1-r0-1", "1-r0-2", APKINV},
    {"alpine-versions.txt", "1-ruff2", "1-ruff1", APKINV},
    {"alpine-versions.txt", "1-ruff2", "1--ruff1", APKINV},
    {"alpine-versions.txt", "1-r0-ruff2", "1-r0-ruff1", APKINV},
    {"alpine-versions.txt", "1.2", "1.2_blah", APKINV},
    {"alpine-versions.txt", "1.2_svn1", "1.2_csv2", APKINV},
    {"alpine-versions.txt", "1.2_cvs1", "1.2_blah", APKINV},
    {"alpine-versions.txt", "23_foo", "4_beta", APKINV},
    {"alpine-versions.txt", "1.0", "1.0bc", APKINV},
#define PHP64                                                                                   \
	"PHP 8.2 version_compare() (the oracle) saturates numbers at 2^63-1, so these compare " \
	"equal; scalibr expects arbitrary precision"
#define PHPHASH                                                                           \
	"PHP 8.2 version_compare() disagrees with scalibr on '#' (checked with php-cli, " \
	"ORACLES.md)"
    {"packagist-versions.txt", "1.2.3.#", "1.2.3", PHPHASH},
    {"packagist-versions.txt", "1.2.3.#", "1.2.3.#", PHPHASH},
    {"packagist-versions.txt", "1.2.3.#", "1.2.3.1", PHPHASH},
    {"packagist-versions.txt", "999999999999999999999999999991", "999999999999999999999999999999",
     PHP64},
    {"packagist-versions.txt",
     "999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991",
     "999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991",
     PHP64},
#define PUB                                                                                     \
	"not a Pub version (pub_semver needs exactly MAJOR.MINOR.PATCH); line copied from the " \
	"generic semver vectors"
    {"pub-versions.txt", "999999999999999999999999999991", "999999999999999999999999999999", PUB},
    {"pub-versions.txt", "1.1.3.4.5", "1.1.3.4.5", PUB},
#define GEMINV                                                                            \
	"Ruby 3.1 Gem::Version rejects this version ('Malformed version number string'; " \
	"ORACLES.md: hand-written 23/25)"
    {"rubygems-versions.txt", "1", "1beta", GEMINV},
    {"rubygems-versions.txt", "1", "1gamma", GEMINV},
    {"semver-versions.txt", "1.1.3.4.5", "1.1.3.4.5",
     "run as Go: x/mod/semver finds it invalid and Compare() calls two invalid versions equal; we "
     "report the error (grype#3707)"},
