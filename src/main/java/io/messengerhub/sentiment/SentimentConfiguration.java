package io.messengerhub.sentiment;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One scorer for the whole hub: it loads its lexicons once and is safe to share between threads. */
@Configuration
public class SentimentConfiguration {

    @Bean
    public SentimentScorer sentimentScorer() {
        return new SentimentScorer();
    }
}
