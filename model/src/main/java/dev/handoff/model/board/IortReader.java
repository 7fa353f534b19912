package dev.handoff.model.board;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads an ACPI IORT table (Arm DEN 0049, revision E.d or later; table revision 5+ for RMR) into
 * {@link BoardFacts}: SMMUv1/v2 (type 3) and SMMUv3 (type 4) nodes, named components (type 1)
 * and root complexes (type 2) with their ID mappings onto SMMUs, and RMR nodes (type 6) with
 * their flags and memory ranges, as {@code iort_get_rmrs} / {@code iort_node_get_rmr_info} read
 * them. Little-endian; every offset and count is checked against the table before use.
 *
 * <p>ACPI names devices, not their kind: a named component is taken for a display when its
 * object name says so ({@code MDSS}, {@code DISP}, {@code DPU}, {@code DSS}, {@code LCD}, {@code VOP}),
 * for a GPU when it says {@code GPU} or {@code GFX}.
 */
public final class IortReader {
    static final int MAX_NODES = 4096;
    static final int MAX_MAPPINGS = 4096;
    static final int MAX_RANGES = 4096;
    private static final Pattern DISPLAY = Pattern.compile("(?i).*(MDSS|DISP|DPU|DSS|LCD|VOP).*");
    private static final Pattern GPU = Pattern.compile("(?i).*(GPU|GFX).*");

    private IortReader() {
    }

    public static BoardFacts read(Path file) {
        byte[] b;
        try {
            if (Files.isDirectory(file)) {
                throw new BoardInputException(file + " is a directory");
            }
            b = dev.handoff.model.io.InputFiles.read(file, (int) DeviceTreeReader.MAX_BYTES);
            if (b == null) {
                throw new BoardInputException(file + ": larger than any IORT table");
            }
        } catch (NoSuchFileException e) {
            throw new BoardInputException(file + " does not exist");
        } catch (IOException e) {
            throw new BoardInputException(file + ": " + e.getMessage());
        }
        return parse(file.toString(), b);
    }

    /** One RMR node: its flags and (base, length) ranges, and the stream IDs it names. */
    record Rmr(int offset, int flags, List<long[]> ranges) {
    }

    public static BoardFacts parse(String source, byte[] b) {
        Cursor c = new Cursor(source, b);
        if (b.length < 48) {
            throw c.error(0, "file of " + b.length + " bytes is shorter than an IORT header (48 bytes)");
        }
        String sig = new String(b, 0, 4, StandardCharsets.US_ASCII);
        if (!sig.equals("IORT")) {
            throw c.error(0, "signature is \"" + sig.replaceAll("[^ -~]", "?") + "\", not \"IORT\"");
        }
        long length = c.u32(4);
        if (length > b.length) {
            throw c.error(4, "table length " + length + " is larger than the file (" + b.length + " bytes): truncated?");
        }
        if (length < 48) {
            throw c.error(4, "table length " + length + " is shorter than the IORT header");
        }
        c.in.limit = (int) length;
        int revision = b[8] & 0xff;
        if (revision < 3) {
            throw c.error(8, "IORT revision " + revision + " predates E.b; handoff reads revision 3 (E.b) and later");
        }
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += b[i];
        }
        List<BoardFacts.Finding> findings = new ArrayList<>();
        if ((sum & 0xff) != 0) {
            findings.add(new BoardFacts.Finding("bad-checksum", source + ": table checksum does not sum to zero"));
        }
        long count = c.u32(36);
        long nodesOff = c.u32(40);
        if (count > MAX_NODES) {
            throw c.error(36, count + " nodes is more than " + MAX_NODES);
        }
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, Integer> types = new HashMap<>();
        List<Integer> offsets = new ArrayList<>();
        long at = nodesOff;
        for (int i = 0; i < count; i++) {
            if (at < 48 || at + 16 > length) {
                throw c.error(at, "node " + i + " of " + count + " starts outside the table");
            }
            int type = b[(int) at] & 0xff;
            int len = c.u16((int) at + 1);
            if (len < 16 || at + len > length) {
                throw c.error(at + 1, "node " + i + " length " + len + " runs outside the table (or is below 16)");
            }
            int least = fixedLength(type);
            if (len < least) {
                // iort.c checks no node's length against its fields: Linux reads past the end and
                // takes the next node's bytes for them; handoff refuses rather than show garbage
                throw c.error(at + 1, "node " + i + " (" + typeName(type) + ") is " + len + " bytes long; its fields take "
                        + least + " (Linux would read the next node's bytes as this one's)");
            }
            offsets.add((int) at);
            types.put((int) at, type);
            at += len;
        }
        List<BoardFacts.Smmu> smmus = new ArrayList<>();
        List<BoardFacts.Device> devices = new ArrayList<>();
        List<BoardFacts.Region> regions = new ArrayList<>();
        for (int off : offsets) {
            int type = types.get(off);
            switch (type) {
                case 3 -> {
                    long base = c.u64(off + 16);
                    long model = c.u32(off + 32);
                    long ctx = c.u32(off + 44);
                    long ctxOffset = c.u32(off + 48);
                    int nodeLength = c.u16(off + 1);
                    // arm_smmu_init_resources reads context_interrupt_count u64s at context_interrupt_offset
                    // without checking them against the node: refused here, not read past the node
                    if (ctx > 0 && (ctxOffset < fixedLength(3) || ctxOffset + 8 * ctx > nodeLength)) {
                        throw c.error(off + 44, "SMMU node: " + ctx + " context interrupts at +" + ctxOffset
                                + " run outside the node (length " + nodeLength + ")");
                    }
                    String name = "smmu@" + Long.toHexString(base);
                    names.put(off, name);
                    BoardFacts.Smmu smmu = new BoardFacts.Smmu("IORT " + name, List.of(modelName(model)), true, false, 1, 0, 1,
                            (int) ctx, true);
                    smmus.add(smmu);
                    DeviceTreeReader.probeFailure(smmu, true).ifPresent(findings::add);
                }
                case 4 -> {
                    long base = c.u64(off + 16);
                    String name = "smmuv3@" + Long.toHexString(base);
                    names.put(off, name);
                    smmus.add(new BoardFacts.Smmu("IORT " + name, List.of("arm,smmu-v3"), true, true, 1, 0, 0, 0, true));
                }
                case 1 -> names.put(off, c.cstring(off + 29, off + c.u16(off + 1), "named component object name"));
                case 2 -> names.put(off, "PCI segment " + c.u32(off + 28));
                default -> names.put(off, "node@0x" + Integer.toHexString(off));
            }
        }
        for (int off : offsets) {
            int type = types.get(off);
            if (type != 1 && type != 2 && type != 6) {
                continue;
            }
            List<BoardFacts.Stream> streams = type == 1 ? namedComponentIds(c, off, names, types, findings)
                    : mappings(c, off, names, types, findings, type == 6);
            if (type == 6) {
                if (revision < 5) {
                    findings.add(new BoardFacts.Finding("rmr-revision", "IORT RMR node at 0x" + Integer.toHexString(off)
                            + " in a revision " + revision + " table: Linux reads RMR only from revision 5 (E.d) on"));
                }
                long flags = c.u32(off + 16);
                long n = c.u32(off + 20);
                long ref = c.u32(off + 24);
                if (n == 0 || ref == 0) {
                    // iort_node_get_rmr_info returns without a word when rmr_offset or rmr_count is 0
                    findings.add(new BoardFacts.Finding("rmr-without-ranges", "IORT RMR at 0x" + Integer.toHexString(off)
                            + ": " + (n == 0 ? "no memory ranges" : "memory ranges at offset 0")
                            + ": Linux reserves nothing for it (iort_node_get_rmr_info)"));
                    continue;
                }
                if (n > MAX_RANGES || off + ref + n * 20 > c.in.limit || ref < 16) {
                    throw c.error(off + 20, "RMR node: " + n + " memory ranges at +" + ref + " run outside the table");
                }
                for (int k = 0; k < n; k++) {
                    int d = (int) (off + ref + 20L * k);
                    long base = c.u64(d);
                    long len = c.u64(d + 8);
                    if (base < 0 || len < 0 || base + len < 0) {
                        findings.add(new BoardFacts.Finding("rmr-out-of-range", "IORT RMR at 0x" + Integer.toHexString(off)
                                + ": memory range " + k + " 0x" + Long.toHexString(base) + " + 0x" + Long.toHexString(len)
                                + " runs past 2^63; ignored"));
                        continue;
                    }
                    if (len == 0) {
                        findings.add(new BoardFacts.Finding("zero-length-rmr", "IORT RMR at 0x" + Integer.toHexString(off)
                                + ": memory range " + k + " has length 0"));
                    }
                    String kind = (flags & 1) != 0 ? "remapping permitted (IOMMU_RESV_DIRECT_RELAXABLE)" : "IOMMU_RESV_DIRECT";
                    regions.add(new BoardFacts.Region("IORT RMR@0x" + Integer.toHexString(off) + "[" + k + "] " + kind,
                            base, len, true, false, List.of(), streams));
                }
                continue;
            }
            String name = names.get(off);
            String role = type == 1 && DISPLAY.matcher(name).matches() ? "display"
                    : type == 1 && GPU.matcher(name).matches() ? "gpu" : "other";
            devices.add(new BoardFacts.Device(name, List.of(), role, true, streams, List.of(), false));
        }
        return new BoardFacts(source, "IORT revision " + revision, true, smmus, devices, regions, List.of(), findings);
    }

    /**
     * A named component's stream IDs as Linux 6.12 gives them to the SMMU driver at boot
     * ({@code iort_iommu_configure_id} without an input ID → {@code iort_nc_iommu_map}): mapping
     * 0, 1, 2… through {@code iort_node_map_platform_id} → {@code iort_node_get_id}, which takes
     * only a single mapping ({@code ACPI_IORT_ID_SINGLE_MAPPING}) and yields its output base; the
     * loop stops at the first mapping that is not single, whose reference is null or leads to no
     * SMMU (an ITS), with the IDs found so far. The ID goes to the fwspec unmasked
     * ({@code acpi_iommu_fwspec_init}), and arm-smmu (v1/v2) reads it as an SMR: bits 15:0 the
     * stream ID, bits 31:16 the mask ({@code arm_smmu_probe_device}: {@code FIELD_GET(ARM_SMMU_SMR_ID)},
     * {@code FIELD_GET(ARM_SMMU_SMR_MASK)}); SMMUv3 takes the whole ID as the stream ID.
     */
    private static List<BoardFacts.Stream> namedComponentIds(Cursor c, int off, Map<Integer, String> names,
                                                             Map<Integer, Integer> types, List<BoardFacts.Finding> findings) {
        long n = mappingCount(c, off);
        long ref = c.u32(off + 12);
        List<BoardFacts.Stream> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int m = (int) (off + ref + 20L * k);
            long outBase = c.u32(m + 8);
            int target = (int) c.u32(m + 12);
            String stop = null;
            if ((c.u32(m + 16) & 1) == 0) {
                stop = "is a range mapping; Linux takes a named component's stream IDs from single mappings only"
                        + " (iort_node_get_id)";
            } else if (target == 0) {
                stop = "has a null output reference (iort_node_get_id: \"ID map has NULL parent reference\")";
            } else if (!types.containsKey(target)) {
                findings.add(new BoardFacts.Finding("dangling-reference", "IORT node at 0x" + Integer.toHexString(off)
                        + ": ID mapping " + k + " points at 0x" + Integer.toHexString(target) + ", where no node starts"));
                break;
            } else if (types.get(target) != 3 && types.get(target) != 4) {
                stop = "leads to " + typeName(types.get(target)) + ", not an SMMU";
            }
            if (stop != null) {
                findings.add(new BoardFacts.Finding("iort-mapping-ignored", names.get(off) + ": ID mapping " + k + " " + stop
                        + (k + 1 < n ? "; it and the " + (n - k - 1) + " after it give no stream ID" : "; it gives no stream ID")));
                break;
            }
            String smmu = "IORT " + names.get(target);
            if (types.get(target) == 4 && outBase > 0xffff) {
                // SMMUv3 stream IDs are up to 32 bits; handoff's stream entries (an SMMUv2's SMR) are 16
                findings.add(new BoardFacts.Finding("iort-mapping-ignored", names.get(off) + ": ID mapping " + k
                        + " gives SMMUv3 stream ID 0x" + Long.toHexString(outBase) + ", wider than the 16 bits handoff models"));
                continue;
            }
            out.add(types.get(target) == 3 ? new BoardFacts.Stream(smmu, (int) (outBase & 0xffff), (int) (outBase >>> 16))
                    : new BoardFacts.Stream(smmu, (int) outBase, 0));
        }
        return out;
    }

    /** The node's mapping count, checked against the table. */
    private static long mappingCount(Cursor c, int off) {
        long n = c.u32(off + 8);
        long ref = c.u32(off + 12);
        if (n != 0 && (n > MAX_MAPPINGS || ref < 16 || off + ref + n * 20 > c.in.limit)) {
            throw c.error(off + 8, n + " ID mappings at +" + ref + " run outside the table");
        }
        return n;
    }

    /**
     * A root complex's or an RMR node's ID mappings onto SMMU nodes, as stream ID/mask entries (a
     * power-of-two aligned range is one entry). A root complex's requester IDs go through
     * {@code iort_node_map_id}, which takes ranges; an RMR's stream IDs are {@code output_base} to
     * {@code output_base + id_count} whatever the mapping's flags ({@code iort_node_get_rmr_info}).
     */
    private static List<BoardFacts.Stream> mappings(Cursor c, int off, Map<Integer, String> names, Map<Integer, Integer> types,
                                                   List<BoardFacts.Finding> findings, boolean rmr) {
        long n = mappingCount(c, off);
        long ref = c.u32(off + 12);
        List<BoardFacts.Stream> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int m = (int) (off + ref + 20L * k);
            long ids = c.u32(m + 4);
            long outBase = c.u32(m + 8);
            int target = (int) c.u32(m + 12);
            Integer type = types.get(target);
            if (type == null) {
                findings.add(new BoardFacts.Finding("dangling-reference", "IORT node at 0x" + Integer.toHexString(off)
                        + ": ID mapping " + k + " points at 0x" + Integer.toHexString(target) + ", where no node starts"));
                continue;
            }
            if (type != 3 && type != 4) {
                continue;
            }
            String smmu = "IORT " + names.get(target);
            long number = !rmr && (c.u32(m + 16) & 1) != 0 ? 1 : ids + 1;
            if (Long.bitCount(number) == 1 && (outBase & (number - 1)) == 0 && number <= 0x8000) {
                out.add(new BoardFacts.Stream(smmu, (int) (outBase & 0xffff), (int) ((number - 1) & 0xffff)));
            } else {
                for (long s = outBase; s < outBase + Math.min(number, 64); s++) {
                    out.add(new BoardFacts.Stream(smmu, (int) (s & 0xffff), 0));
                }
            }
        }
        return out;
    }

    /** The bytes a node of {@code type} needs for the fields Linux reads (actbl2.h, packed). */
    static int fixedLength(int type) {
        return switch (type) {
            case 1 -> 30; // node_flags, memory_properties, memory_address_limit, then at least the name's NUL
            case 2 -> 32; // memory_properties, ats_attribute, pci_segment_number
            case 3 -> 60; // struct acpi_iort_smmu: base .. pmu_interrupt_offset (context_interrupt_offset at +48)
            case 4 -> 68; // struct acpi_iort_smmu_v3: base .. id_mapping_index
            case 6 -> 28; // struct acpi_iort_rmr: flags, rmr_count, rmr_offset
            default -> 16;
        };
    }

    static String typeName(int type) {
        return switch (type) {
            case 0 -> "an ITS group";
            case 1 -> "a named component";
            case 2 -> "a root complex";
            case 3 -> "an SMMUv1/v2";
            case 4 -> "an SMMUv3";
            case 5 -> "a PMCG";
            case 6 -> "an RMR";
            default -> "a type " + type + " node";
        };
    }

    private static String modelName(long model) {
        return switch ((int) model) {
            case 0 -> "arm,smmu-v1";
            case 1 -> "arm,smmu-v2";
            case 2 -> "arm,mmu-400";
            case 3 -> "arm,mmu-500";
            case 4 -> "arm,mmu-401";
            default -> "arm,smmu-v2 (IORT model " + model + ")";
        };
    }

    /** Little-endian reads for the IORT, bounds-checked by {@link BoundedBytes}. */
    private static final class Cursor {
        final BoundedBytes in;

        Cursor(String source, byte[] b) {
            this.in = new BoundedBytes(source, b, false);
        }

        BoardInputException error(long off, String what) {
            return in.error(off, what);
        }

        long u32(int off) {
            return in.u32(off);
        }

        int u16(int off) {
            return in.u16(off);
        }

        long u64(int off) {
            return in.u64(off);
        }

        String cstring(int off, int end, String what) {
            return in.cstring(off, end, what, StandardCharsets.US_ASCII);
        }
    }
}
