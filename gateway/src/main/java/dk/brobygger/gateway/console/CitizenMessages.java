package dk.brobygger.gateway.console;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.messages.DeliveryAnswers;
import dk.brobygger.gateway.messages.DeliveryTask;
import dk.brobygger.gateway.messages.MessageArchive;
import dk.brobygger.gateway.messages.TaskStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The messages a team sent about a citizen (under any of the citizen's identifiers), newest first,
 * with their delivery Tasks and, for an appointment request, the recipient's answer: what the nurse
 * follows until the citizen gets treatment.
 */
public final class CitizenMessages {

  static final String APPOINTMENT_REQUEST = "appointment-request";

  /** One message and where each of its deliveries stands. */
  public record Sent(String messageId, String event, Instant sentAt, List<Delivery> deliveries) {
    public Sent {
      deliveries = List.copyOf(deliveries);
    }

    /** The kind of message in the nurse's words. */
    public String kind() {
      return switch (event) {
        case "referral" -> "Henvisning";
        case APPOINTMENT_REQUEST -> "Anmodning om tid";
        default -> event;
      };
    }
  }

  /** One delivery of a message and, once the recipient answered an appointment request, its answer. */
  public record Delivery(DeliveryTask task, Optional<AppointmentAnswer> answer) {}

  /**
   * The recipient's answer to an appointment request, as its appointment-response says.
   *
   * @param booked true for a booked time, false for declined
   * @param start when the booked time begins (empty when declined)
   * @param end when it ends (empty when declined)
   * @param about the Appointment's description (where, what) or, when declined, the reason given
   */
  public record AppointmentAnswer(boolean booked, Optional<Instant> start, Optional<Instant> end,
      Optional<String> about) {}

  private final Database db;
  private final TaskStore tasks;
  private final MessageArchive archive;
  private final FhirCodec codec;

  CitizenMessages(Database db, TaskStore tasks, FhirCodec codec) {
    this.db = Objects.requireNonNull(db, "db");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.archive = new MessageArchive(db);
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  List<Sent> sentBy(String party, List<CitizenIdentifier> citizen) {
    List<Sent> sent = new ArrayList<>();
    for (String[] row : db.read(c -> {
      List<String[]> rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT m.message_id, m.event_code, m.received_at"
          + " FROM message m JOIN message_citizen mc ON mc.message_id = m.message_id"
          + " WHERE m.sent_by_party = ? AND mc.citizen_system = ? AND mc.citizen_value = ?")) {
        for (CitizenIdentifier id : citizen) {
          s.setString(1, party);
          s.setString(2, id.system());
          s.setString(3, id.value());
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              rows.add(new String[] {r.getString(1), r.getString(2), Sql.instant(r, "received_at").toString()});
            }
          }
        }
      }
      return rows;
    })) {
      if (sent.stream().noneMatch(m -> m.messageId().equals(row[0]))) {
        boolean appointmentRequest = APPOINTMENT_REQUEST.equals(row[1]);
        List<Delivery> deliveries = tasks.forMessage(row[0]).stream()
            .map(task -> new Delivery(task, appointmentRequest ? answer(task, party) : Optional.empty()))
            .toList();
        sent.add(new Sent(row[0], row[1], Instant.parse(row[2]), deliveries));
      }
    }
    sent.sort((a, b) -> b.sentAt().compareTo(a.sentAt()));
    return sent;
  }

  /** The newest answer's Appointment, read from the answer as the team's inbox received it. */
  private Optional<AppointmentAnswer> answer(DeliveryTask task, String party) {
    if (task.answerMessageIds().isEmpty()
        || !task.businessStatus().filter(s -> s.startsWith(DeliveryAnswers.ANSWERED)).isPresent()) {
      return Optional.empty();
    }
    String newest = task.answerMessageIds().get(task.answerMessageIds().size() - 1);
    return archive.readable(newest, Visibility.of(party))
        .map(body -> codec.parse(body, FhirFormat.JSON, Bundle.class))
        .flatMap(answer -> answer.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
            .filter(Appointment.class::isInstance).map(Appointment.class::cast).findFirst())
        .map(CitizenMessages::answer);
  }

  private static AppointmentAnswer answer(Appointment appointment) {
    boolean booked = appointment.getStatus() == Appointment.AppointmentStatus.BOOKED;
    Optional<String> about = booked
        ? Optional.ofNullable(appointment.getDescription())
        : Optional.ofNullable(appointment.getCancelationReason().getText())
            .or(() -> appointment.getCancelationReason().getCoding().stream().map(c -> c.getDisplay())
                .filter(Objects::nonNull).findFirst());
    return new AppointmentAnswer(booked,
        booked ? Optional.ofNullable(appointment.getStart()).map(java.util.Date::toInstant) : Optional.empty(),
        booked ? Optional.ofNullable(appointment.getEnd()).map(java.util.Date::toInstant) : Optional.empty(), about);
  }
}
