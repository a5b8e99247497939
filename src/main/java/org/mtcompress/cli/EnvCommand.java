package org.mtcompress.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.mtcompress.util.MachineInfo;
import org.mtcompress.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtc env}: what this machine, JVM and native backend are, as a run's provenance records them. */
@Command(name = "env", mixinStandardHelpOptions = true,
        description = "Print Java, OS, CPU, ND4J backend, BLAS and thread settings, and library versions.",
        footer = {"", "Example:", "  ./mtc env", "  ./mtc env --json > env.json"})
public final class EnvCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        Map<String, Object> all = new java.util.LinkedHashMap<>(MachineInfo.system());
        all.putAll(MachineInfo.backend());
        all.put("libraries", MachineInfo.libraries());
        if (json) {
            System.out.println(Json.write(all));
            return 0;
        }
        all.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                System.out.println(k + ":");
                m.forEach((k2, v2) -> System.out.printf("  %-40s %s%n", k2, v2));
            } else {
                System.out.printf("%-26s %s%n", k, v);
            }
        });
        return 0;
    }
}
