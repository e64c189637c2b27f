package io.leakscope.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * LEAKS: a conversation loop that keeps every raw tool output in the session's message history, and the
 * session lives in a static registry for the whole process. The leak is
 * {@code SessionRegistry.SESSIONS -> Session.history -> Message.content}: about 4 KB per step.
 * The fix would be to keep a summary, or cap the history.
 */
final class ConversationHistoryLeak implements SampleAgent.Scenario {
    static final class Message {
        final String role;
        final String content;
        final long at;

        Message(String role, String content) {
            this.role = role;
            this.content = content;
            this.at = System.currentTimeMillis();
        }
    }

    static final class Session {
        final String id;
        final List<Message> history = new ArrayList<>();

        Session(String id) {
            this.id = id;
        }
    }

    static final class SessionRegistry {
        static final List<Session> SESSIONS = new ArrayList<>();
    }

    private final Session session = new Session("session-1");

    ConversationHistoryLeak() {
        SessionRegistry.SESSIONS.add(session);
    }

    @Override
    public void step(long i) {
        String prompt = "step " + i + ": decide the next tool";
        String output = ToolOutputs.output(i, 4000);
        session.history.add(new Message("tool", output)); // retained forever
        // the work an agent does with it is transient garbage
        StringBuilder scratch = new StringBuilder(prompt);
        for (int k = 0; k < 20; k++) {
            scratch.append(output, k * 100, k * 100 + 50);
        }
        if (scratch.length() == 0) {
            throw new AssertionError();
        }
    }
}
