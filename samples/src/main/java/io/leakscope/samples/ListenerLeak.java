package io.leakscope.samples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * LEAKS: every retry registers a progress listener on a process-wide event bus and never removes it; each
 * listener captures the request it was made for. Path: {@code EventBus.LISTENERS -> RetryListener.request}.
 */
final class ListenerLeak implements SampleAgent.Scenario {
    interface ProgressListener {
        void onProgress(int percent);
    }

    static final class EventBus {
        static final List<ProgressListener> LISTENERS = new CopyOnWriteArrayList<>();
    }

    record Request(long id, String body) {
    }

    static final class RetryListener implements ProgressListener {
        final Request request;

        RetryListener(Request request) {
            this.request = request;
        }

        @Override
        public void onProgress(int percent) {
            // a real listener would log; this one only holds its request
        }
    }

    @Override
    public void step(long i) {
        Request r = new Request(i, ToolOutputs.output(i, 2000));
        EventBus.LISTENERS.add(new RetryListener(r)); // registered, never removed
    }
}
