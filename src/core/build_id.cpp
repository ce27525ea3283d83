#include "core/build_id.h"

#include <elf.h>
#include <link.h>

#include <cstring>

namespace ormlint {

namespace {

constexpr size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

// Appends the build id note of one loaded object, if it has one.
void append_build_id(const dl_phdr_info& object, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < object.dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = object.dlpi_phdr[i];
    if (header.p_type != PT_NOTE) continue;
    const char* note = reinterpret_cast<const char*>(object.dlpi_addr + header.p_vaddr);
    const char* end = note + header.p_memsz;
    while (note + sizeof(ElfW(Nhdr)) <= end) {
      const auto* head = reinterpret_cast<const ElfW(Nhdr)*>(note);
      const char* name = note + sizeof(ElfW(Nhdr));
      const char* desc = name + align4(head->n_namesz);
      if (desc + head->n_descsz > end) break;
      if (head->n_type == NT_GNU_BUILD_ID && head->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        if (!out.empty()) out += ' ';
        for (size_t b = 0; b < head->n_descsz; ++b) {
          auto byte = static_cast<unsigned char>(desc[b]);
          out += kHex[byte >> 4];
          out += kHex[byte & 15];
        }
        return;
      }
      note = desc + align4(head->n_descsz);
    }
  }
}

}  // namespace

std::string loaded_build_ids() {
  std::string ids;
  dl_iterate_phdr(
      [](dl_phdr_info* object, size_t, void* data) {
        append_build_id(*object, *static_cast<std::string*>(data));
        return 0;
      },
      &ids);
  return ids;
}

}  // namespace ormlint
