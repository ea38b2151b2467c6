package dev.switchboard.example;

import jakarta.json.JsonObject;

/**
 * The reference's {@code "room.message"}: a client of {@code /chat/{room}} sent {@code message}.
 *
 * @param room the room, from the path
 * @param message the JSON object the client sent
 * @param from the sender's name in the room
 * @param signedIn true if the sender is a signed-in user (then {@code from} is the user's name)
 */
public record RoomMessage(String room, JsonObject message, String from, boolean signedIn) {
}
