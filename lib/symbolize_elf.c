// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The ELF source of the symbolizer, through libdwfl: function symbols of
 * vmlinux or of a user program, at their link-time addresses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elfutils/libdwfl.h>

#include "symbolize.h"

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static void free_elf(struct kct_symbolizer *sym)
{
	dwfl_end(sym->elf);
	sym->elf = NULL;
}

int kct_symbolizer_add_elf(struct kct_symbolizer *sym, const char *path)
{
	Dwfl *dwfl = sym->elf;
	Dwfl_Module *mod;
	int fd, n, err = 0;

	if (!dwfl) {
		dwfl = dwfl_begin(&offline_callbacks);
		if (!dwfl)
			return -ENOMEM;
		sym->elf = dwfl;
		sym->free_elf = free_elf;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dwfl_report_begin_add(dwfl);
	/* Base 0 with p_vaddr added: the module sits at its link-time
	 * addresses, which is what the records hold.  dwfl owns fd now. */
	mod = dwfl_report_elf(dwfl, path, path, fd, 0, true);
	dwfl_report_end(dwfl, NULL, NULL);
	if (!mod) {
		close(fd);
		return -ENOEXEC;
	}
	n = dwfl_module_getsymtab(mod);
	if (n <= 0)
		return -ENOEXEC;
	for (int i = 1; i < n && !err; i++) {
		GElf_Sym s;
		GElf_Addr addr;
		GElf_Word shndx;
		GElf_Shdr shdr;
		Elf_Scn *scn;
		Elf *elf;
		const char *name = dwfl_module_getsym_info(mod, i, &s, &addr, &shndx, &elf, NULL);
		int type = GELF_ST_TYPE(s.st_info);

		if (!name || !*name || shndx == SHN_UNDEF || shndx == SHN_ABS)
			continue;
		if (type != STT_FUNC && type != STT_NOTYPE)
			continue;
		scn = elf ? elf_getscn(elf, shndx) : NULL;
		if (!scn || !gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_EXECINSTR))
			continue;
		if (!strcmp(name, "_text"))
			sym->link_text = addr;
		/* Prefer functions to labels, global names to local aliases. */
		err = symbolizer_add_symbol(sym, &sym->link, addr, s.st_size, name, strlen(name), 0,
					    (type == STT_FUNC) * 2 +
					    (GELF_ST_BIND(s.st_info) != STB_LOCAL));
	}
	return err;
}
