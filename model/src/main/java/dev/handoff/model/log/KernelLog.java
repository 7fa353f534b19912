package dev.handoff.model.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a kernel log (dmesg, {@code journalctl -k}, a serial console) and keeps the lines that
 * bear on the handoff, decoded from the format strings the kernel prints them with (cited per
 * pattern; 6.1 and 6.12 print the same ones except where noted). Every other line is skipped, so
 * noise from unrelated drivers, timestamps or none, a syslog prefix and a truncated last line are
 * all fine: the prefixes of dmesg (plain, {@code -T}, {@code --time-format iso}, {@code -x},
 * {@code <N>} levels), journalctl, syslog and serial-capture tools are stripped. Lines are read to
 * the end, each cut at {@value #MAX_LINE} characters; at most {@value #MAX_EVENTS} events are
 * kept (the last ones: faults are at the end), and {@link Log#dropped} says how many were not.
 */
public final class KernelLog {
    public static final int MAX_EVENTS = 100_000;
    public static final int MAX_LINE = 4096;

    private KernelLog() {
    }

    /**
     * One line that bears on the handoff.
     *
     * @param line   its line number in the log, from 1
     * @param time   its printk timestamp in seconds, or NaN
     * @param device the device dev_printk named ({@code 15000000.iommu}), or null
     * @param kind   what it says
     * @param fields the numbers it carries (stream ID, IOVA, registers), by name
     * @param detail a name it carries (the DRM driver's), or null
     * @param text   the line as read
     */
    public record Event(int line, double time, String device, Kind kind, Map<String, Long> fields, String detail, String text) {
        public Event {
            fields = Map.copyOf(fields);
        }

        /** A decoded field, or -1. */
        public long get(String name) {
            return fields.getOrDefault(name, -1L);
        }

        /** Whether the line carries a timestamp. */
        public boolean timed() {
            return !Double.isNaN(time);
        }
    }

    /** What a line says. */
    public enum Kind {
        /** arm_smmu_context_fault / arm_smmu_print_context_fault_info: fsr, iova, fsynr, cbfrsynra (the stream ID in its low 16 bits), cb. */
        CONTEXT_FAULT,
        /** 6.12's decoded FSR line: the SID it prints. */
        CONTEXT_FAULT_SID,
        /** arm_smmu_global_fault with disable_bypass: an unmatched stream ID was blocked (USF). */
        BLOCKED_STREAM,
        /** arm_smmu_global_fault: "Unexpected global fault, this could be serious". */
        GLOBAL_FAULT,
        /** The GFSR/GFSYNR line after it: gfsr, gfsynr0, gfsynr1 (the stream ID in its low 16 bits), gfsynr2. */
        GLOBAL_SYNDROME,
        /** arm_smmu_device_cfg_probe: "probing hardware configuration...". */
        SMMU_PROBE,
        /** arm_smmu_device_cfg_probe: "%u context banks (%u stage-2 only)". */
        SMMU_BANKS,
        /** arm_smmu_device_cfg_probe: "stream matching with %u register groups". */
        SMMU_GROUPS,
        /** qcom_smmu_cfg_probe: "Limiting the stream matching groups to 128" (the clamp). */
        QCOM_CLAMP,
        /** iommu_setup_default_domain: "IOMMU driver was not able to establish FW requested direct mapping." */
        DIRECT_MAP_FAILED,
        /** arm_smmu_rmr_install_bypass_smr: "preserved %d boot mapping%s". */
        RMR_PRESERVED,
        /** arm_smmu_device_reset (v3): "SMMU currently enabled! Resetting...". */
        V3_RESET,
        /** arm_smmu_evtq_thread (v3): "event 0x%02x received:". */
        V3_EVENT,
        /** One of the event's four "\t0x%016llx" words after it: word (its value). */
        V3_EVENT_WORD,
        /**
         * tegra30_mc_handle_irq (Tegra30 to Tegra234): "%s: %s%s @%pa: %s (%s%s)", the memory
         * client (detail), address, and smmu = 1 for an "SMMU translation error".
         */
        MC_ERROR,
        /** The banner: "Linux version %s" (detail: the release, as uname -r prints it). */
        LINUX_VERSION,
        /** "Kernel command line: %s" (detail: the command line). */
        COMMAND_LINE,
        /** iommu_group_add_device: "Adding to iommu group %d". */
        IOMMU_GROUP,
        /** efifb_probe: "efifb: framebuffer at 0x%lx, using %dk, total %dk". */
        EFIFB,
        /** drm_dev_register: "[drm] Initialized %s ... for %s on minor %d". */
        DRM_INIT,
        /**
         * kernel/reboot.c, pr_fmt "reboot: ": "Restarting system", "Power down", "System halted" (a
         * boot that ended on purpose).
         */
        REBOOT,
        /** panic(): "Kernel panic - not syncing: %s" (a boot that ended in a panic, which says why). */
        PANIC,
        /**
         * iommu_subsys_init: "iommu: Default domain type: %s%s" (6.1: "%s %s"); detail: the type
         * as iommu_domain_type_str names it (Passthrough, Translated, Translated deferred), and
         * cmdline = 1 when "(set via kernel command line)".
         */
        DEFAULT_DOMAIN,
        /**
         * qcom_smmu_context_fault with TBUs (arm-smmu-qcom-debug.c): "soft iova-to-phys=%pa" (phys:
         * what the kernel's own page table gives for the faulting IOVA; 0 when it has no entry).
         */
        QCOM_SOFT_WALK,
        /**
         * of_iommu_get_resv_regions via iommu_resv_region_get_type: "treating non-direct mapping
         * [%pr] -> [%pap-%pap] as reservation" (a DT iommu-addresses entry at another IOVA than the
         * region's own address: reserved, not direct-mapped); start, end: the IOVA range.
         */
        RESV_NOT_DIRECT,
        /**
         * printk_ratelimit's "%s: %d callbacks suppressed" for a fault printer (arm_smmu_context_fault,
         * arm_smmu_global_fault, ...): count more faults happened than were printed; detail: the function.
         */
        SUPPRESSED,
        /**
         * component_bind (drivers/base/component.c): "bound %s (ops %ps)", printed on the aggregate
         * device (msm's MDP/DPU, a child of the MDSS) as each component (DSI, DP, the GPU) binds:
         * the display driver is binding.
         */
        COMPONENT_BOUND,
        /**
         * dpu_kms_hw_init: "dpu hardware revision:0x%x" (pr_info), just before _dpu_kms_mmu_init
         * attaches msm's own domain: the display driver is binding.
         */
        DPU_REVISION,
        /**
         * simplefb_probe: "framebuffer at 0x%lx, 0x%x bytes" (dev_info): the firmware framebuffer a
         * DT's simple-framebuffer node describes (base, bytes).
         */
        SIMPLEFB,
        /** __arm_smmu_tlb_sync: "TLB sync timed out -- SMMU may be deadlocked" (a stalled SMMU). */
        TLB_SYNC_TIMEOUT,
        /**
         * arm_smmu_decode_event (v6.13 and later, after the four words): "event: %s client: %s sid:
         * %#x ssid: %#x iova: %#llx ipa: %#llx" (detail: the event's name; sid, iova).
         */
        V3_EVENT_NAMED,
        /**
         * A DRM debug line of a display driver built as a module ("[drm:msm_drm_register [msm]]"):
         * detail, the module (msm, tegra_drm, hdlcd).
         */
        DISPLAY_MODULE,
        /**
         * 5.x fbmem's do_remove_conflicting_framebuffers: "checking generic (%llx %llx) vs hw (%llx
         * %llx)": the firmware framebuffer's base and size (base, bytes), as the display driver removes it.
         */
        FB_GENERIC
    }

    /** A syslog or journal prefix up to "kernel: ". */
    private static final Pattern SYSLOG = Pattern.compile("^.*?\\bkernel:\\s?");
    /**
     * What else tools put first: a level ({@code <3>}), dmesg -T's and other bracketed stamps,
     * dmesg --time-format iso, dmesg -x's facility and level, a serial capture's "10:01:02.123 -> ".
     */
    private static final Pattern PREFIX = Pattern.compile("^\\s*(?:\uFEFF|\u00EF\u00BB\u00BF|(?:>[ \\t]?)+|<\\d+>|\\[[^\\]\\d]{0,20}\\d[^\\]]{0,40}\\]\\s?"
            + "|\\d{4}-\\d\\d-\\d\\dT\\S+\\s+|(?:kern|user|mail|daemon|auth|syslog|lpr|news|local\\d)\\s*:\\s*\\w+\\s*:\\s*"
            + "|\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?\\s*->\\s*)");
    /** The printk timestamp. */
    private static final Pattern STAMP = Pattern.compile("^\\s*(?:<\\d+>)?\\[\\s*(\\d+\\.\\d+)\\]\\s?");
    /** dev_printk's "driver device: ". */
    private static final Pattern DEV = Pattern.compile("^(\\S+) (\\S+?): (.*)$");

    /** arm_smmu_print_context_fault_info and its relatives; the key=value pairs after it are read one by one. */
    private static final Pattern CONTEXT = Pattern.compile("Unhandled context fault:");
    private static final Pattern KEY_VALUE = Pattern.compile("\\b(\\w+)=(0[xX][0-9a-fA-F]+|\\d+)");
    private static final java.util.Set<String> CONTEXT_KEYS = java.util.Set.of("fsr", "iova", "fsynr", "cbfrsynra", "cb", "sid");
    /** Vendor trees (QCOM's msm-4.x arm-smmu) print the fault's stream on its own line: "SID=0x%x". */
    private static final Pattern LONE_SID = Pattern.compile("^SID=0x([0-9a-fA-F]+)$");
    private static final Pattern FSR_SID = Pattern.compile("^FSR\\s+= ([0-9a-fA-F]{8}) \\[.*\\], SID=0x([0-9a-fA-F]+)");
    private static final Pattern BLOCKED = Pattern.compile("Blocked unknown Stream ID 0x([0-9a-fA-F]+)");
    private static final Pattern GLOBAL = Pattern.compile("Unexpected global fault");
    private static final Pattern GSYN = Pattern.compile(
            "GFSR 0x([0-9a-fA-F]+), GFSYNR0 0x([0-9a-fA-F]+), GFSYNR1 0x([0-9a-fA-F]+), GFSYNR2 0x([0-9a-fA-F]+)");
    private static final Pattern PROBE = Pattern.compile("probing hardware configuration");
    private static final Pattern BANKS = Pattern.compile("(\\d+) context banks \\((\\d+) stage-2 only\\)");
    private static final Pattern GROUPS = Pattern.compile("stream matching with (\\d+) register groups");
    private static final Pattern CLAMP = Pattern.compile("Limiting the stream matching groups to (\\d+)");
    private static final Pattern DIRECT_FAILED = Pattern.compile("IOMMU driver was not able to establish FW requested direct mapping");
    private static final Pattern PRESERVED = Pattern.compile("preserved (\\d+) boot mappings?");
    private static final Pattern V3RESET = Pattern.compile("SMMU currently enabled! Resetting");
    private static final Pattern V3EVENT = Pattern.compile("event 0x([0-9a-fA-F]{2}) received");
    private static final Pattern GROUP = Pattern.compile("Adding to iommu group (\\d+)");
    private static final Pattern MC = Pattern.compile(
            "^(\\w+): (?:secure )?(read|write) @(?:0x)?([0-9a-fA-F]+): (.+?) \\((.*)\\)$");
    private static final Pattern BANNER = Pattern.compile("^Linux version (\\S+)");
    private static final Pattern CMDLINE = Pattern.compile("^Kernel command line: (.*)$");
    private static final Pattern WORD = Pattern.compile("^0x([0-9a-fA-F]{16})$");
    private static final Pattern EFIFB = Pattern.compile("efifb: framebuffer at 0x([0-9a-fA-F]+), using (\\d+)k, total (\\d+)k");
    private static final Pattern DRM = Pattern.compile("\\[drm\\] Initialized (\\S+) .*?for (\\S+) on minor (\\d+)");
    private static final Pattern DEFAULT_DOMAIN = Pattern.compile("^(?:iommu: )?Default domain type: (Passthrough|Translated|"
            + "Unmanaged|Blocked|Platform)\\s*(\\(set via kernel command line\\))?");
    private static final Pattern SOFT_WALK = Pattern.compile("^soft iova-to-phys=(?:0x)?([0-9a-fA-F]+)");
    private static final Pattern NOT_DIRECT = Pattern.compile(
            "treating non-direct mapping \\[.*?\\] -> \\[(?:0x)?([0-9a-fA-F]+)-(?:0x)?([0-9a-fA-F]+)\\] as reservation");
    /** ___ratelimit's "%s: %d callbacks suppressed", the name the printer's own (__func__): SMMU, IOMMU and memory-controller fault handlers. */
    private static final Pattern SUPPRESSED_LINE = Pattern.compile("^(\\w*(?:smmu|iommu|_mc_)\\w*): (\\d+) callbacks suppressed");
    private static final Pattern V3_NAMED = Pattern.compile(
            "^event: (\\w+) client: \\S+ sid: 0x([0-9a-fA-F]+) ssid: \\S+ iova: 0x([0-9a-fA-F]+)");
    private static final Pattern MODULE_TAG = Pattern.compile("^\\[drm:\\S+ \\[(msm|tegra_drm|hdlcd)\\]\\]");
    private static final Pattern FB_CHECK = Pattern.compile("^checking generic \\(([0-9a-fA-F]+) ([0-9a-fA-F]+)\\) vs hw");
    private static final Pattern DPU_REV = Pattern.compile("dpu hardware revision:0x([0-9a-fA-F]+)");
    private static final Pattern SIMPLE_FB = Pattern.compile("^framebuffer at 0x([0-9a-fA-F]+), 0x([0-9a-fA-F]+) bytes");
    private static final Pattern TLB_TIMEOUT = Pattern.compile("TLB sync timed out -- SMMU may be deadlocked");
    private static final Pattern BOUND = Pattern.compile("^bound (\\S+) \\(ops ");
    private static final Pattern REBOOTED = Pattern.compile("^reboot: (Restarting system|Power down|System halted)");
    private static final Pattern PANICKED = Pattern.compile("^Kernel panic - not syncing: (.*)$");

    /**
     * The handoff lines of a log, in order, and how many were left out.
     *
     * @throws UncheckedIOException if the reader fails
     */
    public static Log read(Reader in) {
        java.util.ArrayDeque<Event> out = new java.util.ArrayDeque<>();
        List<Event> previous = List.of();
        long dropped = 0;
        long undecoded = 0;
        List<String> samples = new ArrayList<>();
        Peeled pending = null;
        double lastTime = Double.NaN;
        int pendingLine = 0;
        String pendingRaw = null;
        try (BufferedReader r = new BufferedReader(in)) {
            String raw;
            int n = 0;
            while ((raw = r.readLine()) != null) {
                n = n == Integer.MAX_VALUE ? n : n + 1;
                // a journal of several boots, or a console that saw a reboot: the last boot is the one to explain
                Matcher boot = BOOT.matcher(raw);
                if (boot.find() && !out.isEmpty()) {
                    // a console that saw the kernel start again keeps the boot before it, whose end
                    // may be the symptom; a journal's separator says nothing of how a boot ended
                    previous = boot.group().startsWith("-- Boot") ? List.of() : new ArrayList<>(out);
                    dropped += out.size();
                    out.clear();
                    lastTime = Double.NaN;
                    if (boot.group().startsWith("-- Boot")) {
                        continue;
                    }
                }
                String cut = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) : raw;
                Peeled p = peel(cut);
                if (pending != null) {
                    // a fault line a mailer or a hand wrapped: its second half is this line
                    Event joined = decode(pendingLine, pending.time(), pending.msg() + " " + p.msg(), pendingRaw + "\n" + cut);
                    Peeled half = pending;
                    pending = null;
                    if (joined != null) {
                        dropped += add(out, joined);
                        continue;
                    }
                    Event alone = decode(pendingLine, half.time(), half.msg(), pendingRaw);
                    if (alone != null) {
                        dropped += add(out, alone);
                    }
                }
                boolean faultish = FAULTISH.matcher(p.msg()).find();
                if (faultish && p.msg().endsWith(",")) {
                    pending = p;
                    pendingLine = n;
                    pendingRaw = cut;
                    continue;
                }
                Event e = decode(n, p.time(), p.msg(), cut);
                if (e != null && e.timed() && !Double.isNaN(lastTime) && lastTime - e.time() > 1.0 && !out.isEmpty()) {
                    // printk time went back with no banner: another boot (or the same log pasted twice)
                    previous = new ArrayList<>(out);
                    dropped += out.size();
                    out.clear();
                }
                if (e != null && e.timed()) {
                    lastTime = e.time();
                }
                if (e != null) {
                    dropped += add(out, e);
                } else if (faultish && HEX_NUMBER.matcher(p.msg()).find() && !p.msg().contains(" stag: ")) {
                    undecoded++;
                    if (samples.size() < 3) {
                        samples.add(n + ": " + p.msg());
                    }
                }
            }
            if (pending != null) {
                Event alone = decode(pendingLine, pending.time(), pending.msg(), pendingRaw);
                if (alone != null) {
                    dropped += add(out, alone);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Log(new ArrayList<>(out), dropped, previous, undecoded, samples);
    }

    /** Adds an event, dropping the earliest past {@value #MAX_EVENTS}; how many it dropped. */
    private static int add(java.util.ArrayDeque<Event> out, Event e) {
        int dropped = 0;
        if (out.size() == MAX_EVENTS) {
            out.pollFirst();
            dropped = 1;
        }
        out.add(e);
        return dropped;
    }

    private static final Pattern HEX_NUMBER = Pattern.compile("0x[0-9a-fA-F]+");

    /** A line that speaks of an SMMU fault, decoded or not (counted as undecoded only with a number in it: not prose). */
    private static final Pattern FAULTISH = Pattern.compile(
            "(?i)context fault|global fault|GFSR|Stream ID|translation fault|smmu.*fault|fault.*smmu");

    /** journalctl's boot separator, or the first line a booting kernel prints. */
    private static final Pattern BOOT = Pattern.compile("^-- Boot [0-9a-f]+ --|Booting Linux on physical CPU");

    /**
     * What a log holds for the handoff.
     *
     * @param events  its handoff lines, in order
     * @param dropped  how many it left out: those of earlier boots (a journal's "-- Boot … --" or a
     *                 new "Booting Linux" after events), and the earliest past {@value #MAX_EVENTS}
     * @param previous the handoff lines of the boot before the last when a console saw the kernel
     *                 start again ("Booting Linux" after events), else empty: how it ended may be
     *                 the symptom (a board that resets while arm-smmu probes)
     * @param undecoded        lines that speak of an SMMU fault in a form none of the kernel's
     *                         format strings known here prints (a vendor tree's, a mangled copy)
     * @param undecodedSamples the first few of them, "line: message"
     */
    public record Log(List<Event> events, long dropped, List<Event> previous, long undecoded, List<String> undecodedSamples) {
        public Log {
            events = List.copyOf(events);
            previous = List.copyOf(previous);
            undecodedSamples = List.copyOf(undecodedSamples);
        }
    }

    /** One line's event, or null when the line does not bear on the handoff. */
    static Event parse(int line, String raw) {
        Peeled p = peel(raw);
        return decode(line, p.time(), p.msg(), raw);
    }

    /** A line's message with the tools' prefixes peeled off, and its printk timestamp (or NaN). */
    record Peeled(double time, String msg) {
    }

    /** Peels the prefixes tools put before the message, in any order, a few at most. */
    static Peeled peel(String raw) {
        String s = raw.replace("\r", "");
        double time = Double.NaN;
        // peel the prefixes tools put before the message, in any order, a few at most
        for (int round = 0; round < 6; round++) {
            Matcher st = STAMP.matcher(s);
            Matcher any;
            if (st.lookingAt()) {
                if (Double.isNaN(time)) {
                    time = Double.parseDouble(st.group(1));
                }
                s = s.substring(st.end());
            } else if ((any = PREFIX.matcher(s)).lookingAt()) {
                s = s.substring(any.end());
            } else {
                Matcher sys = SYSLOG.matcher(s);
                if (sys.find() && sys.end() <= 80) {
                    s = s.substring(sys.end()); // journalctl and syslog: "Dec 01 12:00:00 host kernel: "
                } else {
                    break;
                }
            }
        }
        return new Peeled(time, s.strip());
    }

    /** The event a peeled message says, or null. */
    static Event decode(int line, double time, String message, String raw) {
        String device = null;
        String msg = message;
        Matcher dm = DEV.matcher(msg);
        if (dm.matches() && !dm.group(1).endsWith(":") && !msg.startsWith("efifb:") && !msg.startsWith("[drm]")) {
            device = dm.group(2);
            msg = dm.group(3).strip();
        }
        Map<String, Long> f = new LinkedHashMap<>();
        Matcher m;
        if ((m = CONTEXT.matcher(msg)).find()) {
            // every key=value the printer gave, in any order: mainline's fsr, iova, fsynr,
            // cbfrsynra (the stream ID in its low 16 bits, 5.x+), cb; qcom_iommu's without
            // cbfrsynra; vendor trees' own orders and a sid= (NVIDIA's "sid=17(0x11 - AFI)")
            Matcher kv = KEY_VALUE.matcher(msg.substring(m.end()));
            while (kv.find()) {
                String key = kv.group(1).toLowerCase(java.util.Locale.ROOT);
                if (CONTEXT_KEYS.contains(key) && !f.containsKey(key)) {
                    String v = kv.group(2);
                    f.put(key, v.startsWith("0x") || v.startsWith("0X") ? hex(v.substring(2)) : dec(v));
                }
            }
            if (!f.containsKey("cb")) {
                return null; // every printer ends with (or carries) the bank: a line without it was cut
            }
            if (f.containsKey("cbfrsynra")) {
                f.put("sid", f.get("cbfrsynra") & 0xffff);
            } else if (f.containsKey("sid")) {
                f.put("sid", f.get("sid") & 0xffff);
            }
            return new Event(line, time, device, Kind.CONTEXT_FAULT, f, null, raw);
        }
        if ((m = LONE_SID.matcher(msg)).find()) {
            f.put("sid", hex(m.group(1)) & 0xffff);
            return new Event(line, time, device, Kind.CONTEXT_FAULT_SID, f, null, raw);
        }
        if ((m = FSR_SID.matcher(msg)).find()) {
            f.put("fsr", hex(m.group(1)));
            f.put("sid", hex(m.group(2)) & 0xffff);
            return new Event(line, time, device, Kind.CONTEXT_FAULT_SID, f, null, raw);
        }
        if ((m = BLOCKED.matcher(msg)).find()) {
            f.put("sid", hex(m.group(1)) & 0xffff);
            return new Event(line, time, device, Kind.BLOCKED_STREAM, f, null, raw);
        }
        if (GLOBAL.matcher(msg).find()) {
            return new Event(line, time, device, Kind.GLOBAL_FAULT, f, null, raw);
        }
        if ((m = GSYN.matcher(msg)).find()) {
            f.put("gfsr", hex(m.group(1)));
            f.put("gfsynr0", hex(m.group(2)));
            f.put("gfsynr1", hex(m.group(3)));
            f.put("gfsynr2", hex(m.group(4)));
            f.put("sid", hex(m.group(3)) & 0xffff);
            return new Event(line, time, device, Kind.GLOBAL_SYNDROME, f, null, raw);
        }
        if (PROBE.matcher(msg).find()) {
            return new Event(line, time, device, Kind.SMMU_PROBE, f, null, raw);
        }
        if ((m = BANKS.matcher(msg)).find()) {
            f.put("banks", dec(m.group(1)));
            return new Event(line, time, device, Kind.SMMU_BANKS, f, null, raw);
        }
        if ((m = GROUPS.matcher(msg)).find()) {
            f.put("groups", dec(m.group(1)));
            return new Event(line, time, device, Kind.SMMU_GROUPS, f, null, raw);
        }
        if ((m = CLAMP.matcher(msg)).find()) {
            f.put("groups", dec(m.group(1)));
            return new Event(line, time, device, Kind.QCOM_CLAMP, f, null, raw);
        }
        if (DIRECT_FAILED.matcher(msg).find()) {
            return new Event(line, time, device, Kind.DIRECT_MAP_FAILED, f, null, raw);
        }
        if ((m = PRESERVED.matcher(msg)).find()) {
            f.put("mappings", dec(m.group(1)));
            return new Event(line, time, device, Kind.RMR_PRESERVED, f, null, raw);
        }
        if (V3RESET.matcher(msg).find()) {
            return new Event(line, time, device, Kind.V3_RESET, f, null, raw);
        }
        if ((m = V3EVENT.matcher(msg)).find()) {
            f.put("event", hex(m.group(1)));
            return new Event(line, time, device, Kind.V3_EVENT, f, null, raw);
        }
        if ((m = DEFAULT_DOMAIN.matcher(msg)).find()) {
            f.put("cmdline", m.group(2) != null ? 1L : 0L);
            return new Event(line, time, null, Kind.DEFAULT_DOMAIN, f, m.group(1), raw);
        }
        if ((m = SOFT_WALK.matcher(msg)).find()) {
            f.put("phys", hex(m.group(1)));
            return new Event(line, time, device, Kind.QCOM_SOFT_WALK, f, null, raw);
        }
        if ((m = NOT_DIRECT.matcher(msg)).find()) {
            f.put("start", hex(m.group(1)));
            f.put("end", hex(m.group(2)));
            return new Event(line, time, device, Kind.RESV_NOT_DIRECT, f, null, raw);
        }
        if ((m = V3_NAMED.matcher(msg)).find()) {
            f.put("sid", hex(m.group(2)));
            f.put("iova", hex(m.group(3)));
            return new Event(line, time, device, Kind.V3_EVENT_NAMED, f, m.group(1), raw);
        }
        if ((m = MODULE_TAG.matcher(msg)).find()) {
            return new Event(line, time, null, Kind.DISPLAY_MODULE, f, m.group(1), raw);
        }
        if ((m = FB_CHECK.matcher(msg)).find()) {
            f.put("base", hex(m.group(1)));
            f.put("bytes", hex(m.group(2)));
            return new Event(line, time, null, Kind.FB_GENERIC, f, null, raw);
        }
        if ((m = DPU_REV.matcher(msg)).find()) {
            f.put("revision", hex(m.group(1)));
            return new Event(line, time, device, Kind.DPU_REVISION, f, null, raw);
        }
        if (device != null && (m = SIMPLE_FB.matcher(msg)).find()) {
            f.put("base", hex(m.group(1)));
            f.put("bytes", hex(m.group(2)));
            return new Event(line, time, device, Kind.SIMPLEFB, f, null, raw);
        }
        if (TLB_TIMEOUT.matcher(msg).find()) {
            return new Event(line, time, device, Kind.TLB_SYNC_TIMEOUT, f, null, raw);
        }
        if (device != null && (m = BOUND.matcher(msg)).find()) {
            return new Event(line, time, device, Kind.COMPONENT_BOUND, f, m.group(1), raw);
        }
        if ((m = SUPPRESSED_LINE.matcher(msg)).find()) {
            f.put("count", dec(m.group(2)));
            return new Event(line, time, null, Kind.SUPPRESSED, f, m.group(1), raw);
        }
        if ((m = REBOOTED.matcher(msg)).find()) {
            return new Event(line, time, null, Kind.REBOOT, f, m.group(1), raw);
        }
        if ((m = PANICKED.matcher(msg)).find()) {
            return new Event(line, time, null, Kind.PANIC, f, m.group(1), raw);
        }
        if ((m = BANNER.matcher(msg)).find()) {
            return new Event(line, time, null, Kind.LINUX_VERSION, f, m.group(1), raw);
        }
        if ((m = CMDLINE.matcher(msg)).find()) {
            return new Event(line, time, null, Kind.COMMAND_LINE, f, m.group(1), raw);
        }
        if (device != null && device.endsWith("memory-controller") && (m = MC.matcher(msg)).find()) {
            f.put("address", hex(m.group(3)));
            f.put("write", m.group(2).equals("write") ? 1L : 0L);
            f.put("smmu", m.group(5).startsWith("SMMU translation error") ? 1L : 0L);
            return new Event(line, time, device, Kind.MC_ERROR, f, m.group(1), raw);
        }
        if (device != null && (m = WORD.matcher(msg)).find()) {
            f.put("word", hex(m.group(1)));
            return new Event(line, time, device, Kind.V3_EVENT_WORD, f, null, raw);
        }
        if ((m = GROUP.matcher(msg)).find()) {
            f.put("group", dec(m.group(1)));
            return new Event(line, time, device, Kind.IOMMU_GROUP, f, null, raw);
        }
        if ((m = EFIFB.matcher(msg)).find()) {
            f.put("base", hex(m.group(1)));
            f.put("bytes", Math.min(dec(m.group(3)), Long.MAX_VALUE / 1024) * 1024);
            return new Event(line, time, device, Kind.EFIFB, f, null, raw);
        }
        if ((m = DRM.matcher(msg)).find()) {
            f.put("minor", dec(m.group(3)));
            return new Event(line, time, m.group(2), Kind.DRM_INIT, f, m.group(1), raw);
        }
        return null;
    }

    /**
     * A decimal printk field ({@code %d}, {@code %u}, {@code %lu}: at most 20 digits). A longer run
     * of digits is not a kernel line; it saturates at {@code Long.MAX_VALUE} rather than ending the
     * read, as {@link #hex} keeps the low 64 bits of a hex run.
     */
    private static long dec(String d) {
        try {
            return Long.parseLong(d);
        } catch (NumberFormatException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static long hex(String h) {
        return h.length() > 16 ? Long.parseUnsignedLong(h.substring(h.length() - 16), 16) : Long.parseUnsignedLong(h, 16);
    }
}
