package dk.brobygger.delivery;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;

import java.time.Clock;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.slf4j.MDC;

/**
 * The egress pipeline, top to bottom: poll the outbox, then for each claimed disclosure register
 * it as in flight, re-check consent, minimise, seal, durably record what is about to be sent,
 * deliver, acknowledge, record the outcome and end the in-flight registration (see
 * {@link DisclosureFence}: a withdrawal's answer waits for attempts past their re-check).
 *
 * <pre>
 * timer:outbox-poll ─┐
 * direct:outbox-wake ┴─&gt; direct:outbox-poll  claim a batch, split over the delivery workers
 *                         direct:disclose     start, enter the fence, re-check consent, minimise,
 *                                             seal, record the send, then the outcome, leave the fence
 *                         direct:deliver      POST to the recipient, acknowledge
 * </pre>
 *
 * <p>A claimed batch is delivered in parallel on a fixed pool of {@code batchSize} workers, so a
 * slow or hanging recipient holds one worker and for at most its connect + response timeout; the
 * others go on. The poll that claimed the batch waits for the whole batch, so the next poll comes
 * at the latest after those timeouts. Wake-up polls run on their own thread, beside the timer.
 *
 * <p>The state of an attempt travels as one immutable {@link AttemptState} in the exchange
 * property {@link AttemptState#PROPERTY}; no stage reads or writes other properties or headers,
 * except the HTTP request and response themselves in {@code direct:deliver}.
 *
 * <p>This builder configures the CamelContext's {@code http} component (timeouts, one pool of
 * kept-alive connections, no automatic retries: every retry is a counted, recorded attempt), and
 * makes every call to a recipient abortable ({@link RecipientCalls}): at its attempt's deadline,
 * which socket timeouts alone do not enforce, and when a withdrawal asks.
 */
public final class DeliveryRoutes extends RouteBuilder {

  static final String TIMER = "timer:outbox-poll";
  static final String WAKE = "direct:outbox-wake";
  static final String POLL = "direct:outbox-poll";
  static final String DISCLOSE = "direct:disclose";
  static final String DELIVER = "direct:deliver";
  /** The host is a placeholder: each request's address is the recipient's endpoint (CamelHttpUri). */
  static final String RECIPIENT = "http://recipient?httpMethod=POST&throwExceptionOnFailure=false";

  private final DisclosureOutbox outbox;
  private final DeliveryPolicy policy;
  private final OutboxClaim claim;
  private final AttemptStart start;
  private final Retries retries;
  private final ConsentRecheckStage recheck;
  private final MinimisationStage minimise;
  private final SealingStage seal;
  private final AcknowledgementStage acknowledge;
  private final FenceEntryStage enterFence;
  private final SendingRecordStage recordSending;
  private final FenceExit leaveFence;
  private final RecipientCalls calls;
  private volatile OutboxWake wake;

  public DeliveryRoutes(
      DisclosureOutbox outbox,
      ConsentRecheck consent,
      DisclosureFence fence,
      Minimisation minimisation,
      Sealing sealing,
      DeliveryPolicy policy,
      Clock clock) {
    Objects.requireNonNull(fence, "fence");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.policy = Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(clock, "clock");
    this.claim = new OutboxClaim(outbox, policy.batchSize());
    this.start = new AttemptStart(policy, clock);
    this.retries = new Retries(policy, new Backoff(policy, new Random()), clock);
    this.recheck = new ConsentRecheckStage(Objects.requireNonNull(consent, "consent"), retries);
    this.minimise = new MinimisationStage(minimisation);
    this.seal = new SealingStage(sealing);
    this.calls = new RecipientCalls(fence, clock);
    this.acknowledge = new AcknowledgementStage(retries, policy, calls);
    this.enterFence = new FenceEntryStage(fence, policy);
    this.recordSending = new SendingRecordStage(fence, retries, clock);
    this.leaveFence = new FenceExit(fence);
  }

  @Override
  public void configure() {
    configureRecipientHttp();
    ExecutorService workers =
        getContext().getExecutorServiceManager().newFixedThreadPool(this, "delivery", policy.batchSize());
    wake = new OutboxWake(
        getContext().getExecutorServiceManager().newSingleThreadExecutor(this, "outbox-wake"),
        getContext().createProducerTemplate(),
        WAKE);
    ScheduledExecutorService callTimer =
        getContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "recipient-calls");
    ScheduledThreadPoolExecutor pool = callTimer instanceof SizedScheduledExecutorService sized
        ? sized.getScheduledThreadPoolExecutor()
        : callTimer instanceof ScheduledThreadPoolExecutor plain ? plain : null;
    if (pool != null) {
      // a stop must not wait for the deadline of a call still hanging: its lease is returned instead
      pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      pool.setRemoveOnCancelPolicy(true);
    }
    calls.start(callTimer);

    from(TIMER + "?delay=0&period=" + policy.pollInterval().toMillis())
        .routeId("outbox-timer")
        .to(POLL);

    from(WAKE)
        .routeId("outbox-wake")
        .to(POLL);

    from(POLL)
        .routeId("outbox-poll")
        .process(claim)
        .split(body()).parallelProcessing().executorService(workers)
            .to(DISCLOSE)
        .end()
        .filter(claim::isFull)
            .process(exchange -> wakeUp())
        .end();

    from(DISCLOSE)
        .routeId("disclose")
        .process(start)
        .process(DeliveryRoutes::nameInLogs)
        .process(new StageProcessor("in-flight registration", enterFence, retries))
        .process(new StageProcessor("consent re-check", recheck, retries))
        .process(new StageProcessor("minimisation", minimise, retries))
        .process(new StageProcessor("sealing", seal, retries))
        .process(new StageProcessor("record of sending", recordSending, retries))
        .filter(DeliveryRoutes::inProgress)
            .to(DELIVER)
        .end()
        .process(new OutcomeRecorder(outbox))
        .process(leaveFence)
        .process(exchange -> forgetInLogs());

    from(DELIVER)
        .routeId("deliver")
        .process(new DeliveryRequest())
        .process(this::openCall)
        .doTry()
            .to(RECIPIENT)
        .doCatch(Exception.class)
        .end()
        .process(acknowledge);
  }

  /**
   * Polls the outbox now instead of at the next tick; returns at once. Before the routes are
   * added to a CamelContext there is nothing to wake, and the call does nothing.
   */
  public void wakeUp() {
    OutboxWake current = wake;
    if (current != null) {
      current.request();
    }
  }

  /** Makes the HTTP call about to start abortable, at the attempt's deadline or by a withdrawal. */
  private void openCall(Exchange exchange) {
    AttemptState state = exchange.getProperty(AttemptState.PROPERTY, AttemptState.class);
    calls.open(state.disclosure(), FenceEntryStage.mustEndBy(state.startedAt(), policy),
        state.sealed().map(sealed -> sealed.body().length).orElse(0));
  }

  private static boolean inProgress(Exchange exchange) {
    return !exchange.getProperty(AttemptState.PROPERTY, AttemptState.class).settled();
  }

  private void configureRecipientHttp() {
    HttpComponent http = getContext().getComponent("http", HttpComponent.class);
    http.setConnectTimeout(policy.connectTimeout().toMillis());
    // Workers never outnumber pooled connections, so waiting for one means something is wrong.
    http.setConnectionRequestTimeout(policy.connectTimeout().toMillis());
    http.setResponseTimeout(policy.responseTimeout().toMillis());
    http.setSoTimeout(policy.responseTimeout().toMillis());
    // One pool, kept alive between deliveries: a new TLS handshake costs about 4 ms of CPU.
    http.setMaxTotalConnections(policy.batchSize());
    http.setConnectionsPerRoute(policy.batchSize());
    http.setAutomaticRetriesDisabled(true);
    http.setRedirectHandlingDisabled(true);
    http.setCookieManagementDisabled(true);
    http.setUserAgent("Brobygger");
    // every call can be aborted: at its attempt's deadline, or by a withdrawal's fence
    http.setHttpClientConfigurer(builder -> builder.addExecInterceptorFirst("brobygger-recipient-calls", calls));
  }

  /**
   * Every log line about this attempt names its message, Task and recipient (the route runs on one
   * worker thread from here to its end; the next attempt on the thread overwrites what a failure left).
   */
  private static void nameInLogs(Exchange exchange) {
    Disclosure disclosure = exchange.getProperty(AttemptState.PROPERTY, AttemptState.class).disclosure();
    MDC.put("messageId", disclosure.messageId());
    MDC.put("taskId", disclosure.taskId());
    MDC.put("recipient", disclosure.recipient().id());
  }

  private static void forgetInLogs() {
    MDC.remove("messageId");
    MDC.remove("taskId");
    MDC.remove("recipient");
  }
}
