package io.modelmaestro.bench;

import io.modelmaestro.bench.load.LoadMain;
import io.modelmaestro.bench.mock.MockMain;
import io.modelmaestro.bench.run.BenchMain;
import java.util.Arrays;

/** Entry point of the harness: {@code mock}, {@code load}, {@code run} (what scripts/bench calls) or {@code jmh}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Main mock|load|run|jmh|report [options]   (see docs/benchmarks/README.md)");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "mock" -> MockMain.main(rest);
            case "load" -> LoadMain.main(rest);
            case "run" -> System.exit(BenchMain.run(rest));
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "report" -> io.modelmaestro.bench.run.Report.main(rest);
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }
}
