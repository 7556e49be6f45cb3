package dk.brobygger.gateway.console;

/** A page or action of the console; runs on a worker thread, after the session, role and CSRF checks. */
@FunctionalInterface
public interface ConsolePage {
  ConsoleReply handle(ConsoleRequest request) throws Exception;
}
