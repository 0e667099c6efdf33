package io.modelmaestro.bench.run;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads a running JVM from outside, through the attach API and its local JMX agent (no flags on the gateway's command
 * line): bytes allocated by all threads so far, and heap used right after a full GC. Attaching loads the JMX agent
 * into the target, which costs it a few MiB of RSS; the harness takes the idle RSS reading before attaching.
 */
public final class JvmProbe implements AutoCloseable {

    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;
    private final ObjectName threading;
    private final ObjectName memory;
    private final ObjectName compilation;

    private JvmProbe(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.mbeans = connector.getMBeanServerConnection();
        try {
            this.threading = new ObjectName(ManagementFactory.THREAD_MXBEAN_NAME);
            this.memory = new ObjectName(ManagementFactory.MEMORY_MXBEAN_NAME);
            this.compilation = new ObjectName(ManagementFactory.COMPILATION_MXBEAN_NAME);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JvmProbe attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            String address = vm.startLocalManagementAgent();
            return new JvmProbe(connect(address));
        } finally {
            vm.detach();
        }
    }

    // The address is the target's own local agent, just handed over by the attach API; no remote naming involved.
    @SuppressWarnings("BanJNDI")
    private static JMXConnector connect(String address) throws IOException {
        return JMXConnectorFactory.connect(new JMXServiceURL(address));
    }

    /** Bytes allocated in the heap by all threads since the JVM started (HotSpot, JDK 21+; dead threads included). */
    public long allocatedBytes() throws Exception {
        return ((Number) mbeans.getAttribute(threading, "TotalThreadAllocatedBytes")).longValue();
    }

    /** Milliseconds the JIT compilers have spent so far (stops growing once the hot paths are compiled). */
    public long compilationMillis() throws Exception {
        return ((Number) mbeans.getAttribute(compilation, "TotalCompilationTime")).longValue();
    }

    /** Runs a full GC in the target and returns the heap in use afterwards, in bytes. */
    public long heapAfterGc() throws Exception {
        mbeans.invoke(memory, "gc", null, null);
        return heapUsed();
    }

    public long heapUsed() throws Exception {
        CompositeData heap = (CompositeData) mbeans.getAttribute(memory, "HeapMemoryUsage");
        return ((Number) heap.get("used")).longValue();
    }

    public long heapCommitted() throws Exception {
        CompositeData heap = (CompositeData) mbeans.getAttribute(memory, "HeapMemoryUsage");
        return ((Number) heap.get("committed")).longValue();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the target may be gone already
        }
    }
}
