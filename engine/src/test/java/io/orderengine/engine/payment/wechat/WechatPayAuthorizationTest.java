package io.orderengine.engine.payment.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The APIv3 Authorization header read back as the merchant wrote it, or as an HTTP server re-rendered it. */
class WechatPayAuthorizationTest {
  private static final WechatPayAuthorization AUTH = new WechatPayAuthorization("1900000109", "593BEC0C930BF1AFEB40B4A08C8FB242",
      "uOVRnA4qG/MNnYzdQxJanN+zU+lTgIcnU9BxGw5dKjK+VdEUz2FeIoC+D5sB/LN+nGzX3hfZg6r5wT1pl2ZobmIc6p0ldN7J6yDgUzbX8Uk3sD4a4eZVPTBvqNDoUqcYMlZ9uuDdCvNv4TM3c1WzsXUrExwVkI1XO5jCNbgDJ25nkT/c1gIFvqoogl7MdSFGc4W4xZsqCItnqbypR3RuGIlR9h9vlRsy7zJR9PBI83X8alLDIfR1ukt1P7tMnmogZ0cuDY8cZsd8ZlCgLadmvej58SLsIkVxFJ8XmUgx9rmT2dS+xVnDrsPYZRo9ll/fRsmSi6FTUkBbVUfKaQ==",
      "1554208460", "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB");

  @Test
  void the_merchants_header_reads_back_whole() {
    assertThat(WechatPayAuthorization.parse(AUTH.header())).contains(AUTH);
  }

  @Test
  void values_a_server_unquoted_read_the_same() {
    String rendered = WechatPayAuthorization.SCHEMA + " mchid=1900000109,nonce_str=593BEC0C930BF1AFEB40B4A08C8FB242,signature=\""
        + AUTH.signature() + "\",timestamp=1554208460,serial_no=408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";
    assertThat(WechatPayAuthorization.parse(rendered)).contains(AUTH);
  }

  @Test
  void a_header_missing_a_part_is_none() {
    assertThat(WechatPayAuthorization.parse(AUTH.header().replace("timestamp=\"1554208460\",", ""))).isEmpty();
    assertThat(WechatPayAuthorization.parse("Bearer abc")).isEmpty();
    assertThat(WechatPayAuthorization.parse(null)).isEmpty();
  }
}
