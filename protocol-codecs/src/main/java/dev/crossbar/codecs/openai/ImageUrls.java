package dev.crossbar.codecs.openai;

import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;

/** OpenAI image URLs: {@code data:<media type>;base64,<data>} for inline images, else http(s). */
public final class ImageUrls {

    private static final String BASE64_MARKER = ";base64,";

    private ImageUrls() {}

    /**
     * Reads an image URL as the client sent it.
     *
     * @throws CodecException 400 naming {@code path} when it is neither a base64 data URL nor http(s)
     */
    public static ContentPart.Image parse(String url, String path) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int marker = url.indexOf(BASE64_MARKER);
            int comma = url.indexOf(',');
            if (marker < 0 || comma != marker + BASE64_MARKER.length() - 1) {
                throw CodecException.invalid(
                        path, "'" + path + "' must be a base64 data URL (data:<media type>;base64,<data>)");
            }
            String mediaType = url.substring(5, marker);
            int parameters = mediaType.indexOf(';');
            if (parameters >= 0) {
                mediaType = mediaType.substring(0, parameters);
            }
            if (mediaType.isEmpty() || mediaType.indexOf('/') < 0) {
                throw CodecException.invalid(
                        path, "'" + path + "' must name the image's media type, e.g. data:image/png;base64,...");
            }
            return ContentPart.Image.inline(mediaType, url.substring(comma + 1));
        }
        if (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7)) {
            return ContentPart.Image.remote(url);
        }
        throw CodecException.invalid(path, "'" + path + "' must be an http(s) URL or a base64 data URL");
    }

    /** The URL to send for an image: a data URL for inline data. */
    public static String toUrl(ContentPart.Image image) {
        if (image.url() != null) {
            return image.url();
        }
        String mediaType = image.mediaType() == null ? "image/png" : image.mediaType();
        return "data:" + mediaType + BASE64_MARKER + image.data();
    }
}
