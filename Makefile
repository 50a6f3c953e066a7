# ikzreg - one Makefile, pkg-config, strict warnings.
#
#   make            build ikzregd and ikzreg into build/
#   make check      install missing packages, run every test (plain + ASan/UBSan)
#   make demo       install missing packages, run the daemon on sample mail
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR	?=
B	?= build

PKGS	 = libetpan libcurl sqlite3 libxml-2.0 gnutls libical libpsl \
	   cairo pangocairo libmicrohttpd libxcrypt
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Debian's libetpan.pc leaks its own build's -specs=...no-pie-link.specs:
# dropped, so that our programs stay position independent (ASLR).
PKG_LIBS   := $(filter-out -specs=%,$(shell pkg-config --libs $(PKGS) \
	      2>/dev/null))

OPT	?= -O2 -g
CFLAGS	+= $(OPT) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	   -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
	   -Wno-unused-parameter -fno-common -I. $(PKG_CFLAGS) \
	   -DIKZ_TEMPLATE_DIR='"$(PREFIX)/share/ikzreg/templates/de"' \
	   -DIKZ_SYSCONFDIR='"$(SYSCONFDIR)"' $(CWARN)
LDLIBS	+= $(PKG_LIBS) -lm

LIB_SRC	 = $(filter-out daemon/ikzregd.c spool/ikzreg.c, \
	   $(wildcard base/*.c daemon/*.c parsers/*.c print/*.c registry/*.c \
	   templates/*.c spool/*.c desk/*.c))
LIB_OBJ	 = $(LIB_SRC:%.c=$(B)/%.o) $(B)/registry/schema_sql.o \
	   $(B)/registry/muni_data.o
TEST_SRC = $(wildcard tests/unit/test_*.c)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
BINS	 = $(B)/ikzregd $(B)/ikzreg

all: $(BINS) $(TEST_BIN)

$(B)/%.o: %.c $(wildcard */*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

SCHEMA	 = $(sort $(wildcard registry/schema/[0-9][0-9][0-9].sql))

$(B)/registry/schema_sql.c: $(SCHEMA) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-sql.sh $(SCHEMA) > $@

$(B)/registry/schema_sql.o: $(B)/registry/schema_sql.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The municipalities of Saxony (organisation names, statistics).
$(B)/registry/muni_data.c: data/sachsen-gemeinden.tsv scripts/embed-tsv.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-tsv.sh data/sachsen-gemeinden.tsv > $@

$(B)/registry/muni_data.o: $(B)/registry/muni_data.c registry/muni.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libikzreg.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/ikzregd: $(B)/daemon/ikzregd.o $(B)/libikzreg.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/ikzreg: $(B)/spool/ikzreg.o $(B)/libikzreg.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: $(B)/tests/unit/%.o $(B)/libikzreg.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

deps:
	@sh scripts/install-deps.sh

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=undefined

# The suite runs twice: on the normal build and on an ASan+UBSan build.
# tests/run.sh prints one "N passed, N failed" line summing both.
# CHECK_JOBS: compiler jobs for its builds, and suites run at once.
CHECK_JOBS ?= 2
check: deps
	$(MAKE) -j$(CHECK_JOBS) all
	$(MAKE) -j$(CHECK_JOBS) B=build-asan OPT="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" all
	$(FUZZ_MAKE) -j$(CHECK_JOBS)
	FUZZ_DIR=build-fuzz TEST_JOBS=$(CHECK_JOBS) sh tests/run.sh build build-asan

check-asan: deps
	$(MAKE) B=build-asan OPT="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" all
	sh tests/run.sh build-asan

# libFuzzer targets (clang): make fuzz runs each for FUZZ_SECONDS;
# make check builds them and runs each for a few seconds.
FUZZ_TARGETS = mail decode verdict config
FUZZ_SECONDS ?= 300
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	     -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# clang flags "zur\xc3\xbc" "ckgesendet" (split after a hex escape on purpose)
FUZZ_MAKE = $(MAKE) B=build-fuzz CC=clang OPT="$(FUZZ_FLAGS)" \
	    CWARN=-Wno-string-concatenation fuzz-bins

fuzz-build: deps
	$(FUZZ_MAKE)

fuzz-bins: $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%) $(B)/fuzz/verdict_seeds

$(B)/fuzz/fuzz_%: $(B)/fuzz/fuzz_%.o $(B)/libikzreg.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

$(B)/fuzz/verdict_seeds: $(B)/fuzz/verdict_seeds.o $(B)/libikzreg.a
	$(CC) $(CFLAGS) -fsanitize=address,undefined -o $@ $^ $(LDLIBS)

fuzz: fuzz-build
	sh fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

# A sub-make: pkg-config must run after deps installed the packages.
demo: deps
	$(MAKE) all
	/usr/bin/python3 tests/demo.py --build $(B)

# Service files land where systemd looks for local units (PREFIX/lib/...).
UNITDIR	?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DIST_SED = sed -e 's,@SBINDIR@,$(PREFIX)/sbin,g' -e 's,@BINDIR@,$(PREFIX)/bin,g' \
	   -e 's,@SYSCONFDIR@,$(SYSCONFDIR),g' \
	   -e 's,@TEMPLATEDIR@,$(PREFIX)/share/ikzreg/templates/de,g'

install: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/ikzreg/templates/de \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -d -m 750 $(DESTDIR)$(SYSCONFDIR)/ikzreg
	install -m 755 $(B)/ikzregd $(DESTDIR)$(PREFIX)/sbin/ikzregd
	install -m 755 $(B)/ikzreg $(DESTDIR)$(PREFIX)/bin/ikzreg
	install -m 644 templates/de/*.txt $(DESTDIR)$(PREFIX)/share/ikzreg/templates/de/
	install -m 644 man/ikzreg.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/ikzreg.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 man/ikzregd.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	$(DIST_SED) dist/ikzreg.service.in > $(DESTDIR)$(UNITDIR)/ikzreg.service
	$(DIST_SED) dist/ikzreg-desk.service.in > \
	    $(DESTDIR)$(UNITDIR)/ikzreg-desk.service
	$(DIST_SED) dist/ikzreg-backup.service.in > \
	    $(DESTDIR)$(UNITDIR)/ikzreg-backup.service
	install -m 644 dist/ikzreg-backup.timer $(DESTDIR)$(UNITDIR)/
	chmod 644 $(DESTDIR)$(UNITDIR)/ikzreg.service \
	    $(DESTDIR)$(UNITDIR)/ikzreg-desk.service \
	    $(DESTDIR)$(UNITDIR)/ikzreg-backup.service
	install -m 644 dist/ikzreg.sysusers $(DESTDIR)$(SYSUSERSDIR)/ikzreg.conf
	$(DIST_SED) dist/ikzreg.tmpfiles.in > $(DESTDIR)$(TMPFILESDIR)/ikzreg.conf
	chmod 644 $(DESTDIR)$(TMPFILESDIR)/ikzreg.conf
	$(DIST_SED) dist/ikzreg.conf.example.in > \
	    $(DESTDIR)$(SYSCONFDIR)/ikzreg/ikzreg.conf.example
	chmod 644 $(DESTDIR)$(SYSCONFDIR)/ikzreg/ikzreg.conf.example

clean:
	rm -rf build build-asan build-fuzz

.PHONY: all deps check check-asan demo install clean fuzz fuzz-build fuzz-bins
.SECONDARY:
.DELETE_ON_ERROR:
